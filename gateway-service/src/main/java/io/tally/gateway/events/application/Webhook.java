package io.tally.gateway.events.application;

import java.net.URI;

/**
 * A participant's endpoint for finality events: {@code url} is posted one signed delivery per
 * certified block above {@code after} that holds an event the participant may see.
 *
 * @param createdAt when it was registered, seconds since the epoch
 * @param after the certified height when it was registered: deliveries start above it
 */
public record Webhook(String id, String participant, URI url, long createdAt, long after) {}
