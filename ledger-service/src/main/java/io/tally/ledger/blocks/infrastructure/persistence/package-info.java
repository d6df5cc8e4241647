/**
 * JPA entities and Spring Data repositories over the ledger's tables, for reads. Read-only: the
 * append path writes with batched JDBC. Not null-marked, because JPA creates entities through a
 * no-argument constructor and fills their fields afterwards, which NullAway cannot follow (ADR
 * 0004); the web layer maps every entity to a null-marked response record.
 */
@NullUnmarked
package io.tally.ledger.blocks.infrastructure.persistence;

import org.jspecify.annotations.NullUnmarked;
