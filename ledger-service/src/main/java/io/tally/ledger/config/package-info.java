/** Typed configuration of the ledger ({@code tally.ledger.*}). */
@NullMarked
package io.tally.ledger.config;

import org.jspecify.annotations.NullMarked;
