/**
 * Pure rules of a validator beyond the engine: watching the broker's clock against the validator's
 * own, and recognising equivocation (two headers signed by one validator at one height).
 */
@NullMarked
package io.tally.validator.voting.domain;

import org.jspecify.annotations.NullMarked;
