/**
 * Finality events for business systems: the stream of settled instructions each participant may
 * see, as Server-Sent Events that resume from {@code Last-Event-ID} and as signed webhooks.
 */
@NullMarked
package io.tally.gateway.events;

import org.jspecify.annotations.NullMarked;
