/**
 * Receipts (DESIGN section 4): everything a settlement's holder needs to show, with the genesis
 * file alone, that a quorum of validators made the settlement final.
 */
@NullMarked
package io.tally.protocol.receipt;

import org.jspecify.annotations.NullMarked;
