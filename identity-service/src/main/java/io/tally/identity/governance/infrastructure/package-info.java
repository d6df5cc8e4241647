/**
 * Adaptors of the desk: the JPA store (approvals and the outbox row in one transaction, the
 * proposal locked), the outbox relay to {@code tally.log}, and the explicit wiring.
 */
@NullMarked
package io.tally.identity.governance.infrastructure;

import org.jspecify.annotations.NullMarked;
