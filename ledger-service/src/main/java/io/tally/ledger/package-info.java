/**
 * The ledger: the system of record people query. It re-executes every block of the log with the
 * engine and commits a block to PostgreSQL only when a quorum of validators signed exactly the
 * header it computed itself, so it trusts no single validator and no validator trusts it.
 */
@NullMarked
package io.tally.ledger;

import org.jspecify.annotations.NullMarked;
