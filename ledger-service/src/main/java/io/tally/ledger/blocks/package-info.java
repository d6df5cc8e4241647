/**
 * Certified blocks: reading the log and the votes, re-executing, committing what a quorum
 * certified, relaying finality, and serving the chain, entries with their proofs and balances.
 */
@NullMarked
package io.tally.ledger.blocks;

import org.jspecify.annotations.NullMarked;
