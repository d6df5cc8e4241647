/** Finality events: the application layer. */
@NullMarked
package io.tally.gateway.events.application;

import org.jspecify.annotations.NullMarked;
