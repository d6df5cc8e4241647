/**
 * Adaptors of the ledger: Kafka readers of the log and the votes, the PostgreSQL store (batched
 * JDBC on the append path, JPA entities for reads), the outbox relay to {@code tally.finalized},
 * health, and the explicit wiring.
 */
@NullMarked
package io.tally.ledger.blocks.infrastructure;

import org.jspecify.annotations.NullMarked;
