/**
 * Rules of certification, free of frameworks: counting votes per header, spotting equivocation and
 * certificates over a header the ledger did not compute.
 */
@NullMarked
package io.tally.ledger.blocks.domain;

import org.jspecify.annotations.NullMarked;
