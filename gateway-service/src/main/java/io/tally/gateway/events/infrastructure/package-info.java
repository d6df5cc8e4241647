/** Finality events: the infrastructure layer. */
@NullMarked
package io.tally.gateway.events.infrastructure;

import org.jspecify.annotations.NullMarked;
