package io.tally.gateway.events.application;

/**
 * A delivery that every attempt failed: the block at {@code height} was not delivered to {@code
 * webhook} (later blocks were); its participant replays it once the endpoint works again.
 *
 * @param lastError the last attempt's answer (a status, or why no answer came)
 * @param failedAt when the last attempt failed, seconds since the epoch
 */
public record WebhookFailure(
    String webhook, long height, int attempts, String lastError, long failedAt) {}
