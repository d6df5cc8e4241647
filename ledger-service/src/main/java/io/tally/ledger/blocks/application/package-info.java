/**
 * The ledger's use case, committing certified blocks, and the ports it needs: the log, the votes,
 * the store. Framework-free, so the rules of when to commit and when to stop are testable alone.
 */
@NullMarked
package io.tally.ledger.blocks.application;

import org.jspecify.annotations.NullMarked;
