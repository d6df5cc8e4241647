/** Submitting instructions and reporting their finality. */
@NullMarked
package io.tally.gateway.instructions;

import org.jspecify.annotations.NullMarked;
