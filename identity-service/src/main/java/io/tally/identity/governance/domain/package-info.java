/**
 * The rules of the desk, free of frameworks: what makes a proposal acceptable (the engine would
 * decode it; every key it brings in signed it) and what makes an approval count (a valid governance
 * signature over exactly the proposal's bytes by an administrator of the genesis).
 */
@NullMarked
package io.tally.identity.governance.domain;

import org.jspecify.annotations.NullMarked;
