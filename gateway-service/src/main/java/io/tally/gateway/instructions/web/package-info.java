/**
 * The gateway's API under {@code /v1}: submit an instruction, read its status. Errors are RFC 9457
 * Problem Details whose {@code type} names the engine's code.
 */
@NullMarked
package io.tally.gateway.instructions.web;

import org.jspecify.annotations.NullMarked;
