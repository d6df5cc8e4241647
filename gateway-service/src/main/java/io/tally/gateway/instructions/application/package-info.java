/** The use case of submitting an instruction, and the port to the log it needs. */
@NullMarked
package io.tally.gateway.instructions.application;

import org.jspecify.annotations.NullMarked;
