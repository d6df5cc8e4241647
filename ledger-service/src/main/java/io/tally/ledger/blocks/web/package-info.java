/**
 * The read API under {@code /v1}: blocks by height and range, entries by instruction id with their
 * outcome, block and Merkle proofs, accounts, balances and history. Errors are RFC 9457 Problem
 * Details whose {@code type} names a stable code.
 */
@NullMarked
package io.tally.ledger.blocks.web;

import org.jspecify.annotations.NullMarked;
