/**
 * Adaptors: Kafka (the log reader, the envelope publisher, the vote watcher), PostgreSQL (the
 * snapshot and evidence stores) and the Spring lifecycle and health around the loop.
 */
@NullMarked
package io.tally.validator.voting.infrastructure;

import org.jspecify.annotations.NullMarked;
