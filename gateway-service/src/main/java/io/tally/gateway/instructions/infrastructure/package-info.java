/** The Kafka writer of the log and the explicit wiring. */
@NullMarked
package io.tally.gateway.instructions.infrastructure;

import org.jspecify.annotations.NullMarked;
