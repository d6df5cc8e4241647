/**
 * The settlement engine: a deterministic state machine over the ordered entries of the log.
 *
 * <p>Given the same genesis and the same log records it produces the same outcomes, the same bytes
 * and the same digests on every machine. Nothing here reads a clock, a file, the network or a
 * random source, and no output depends on hash-table iteration order: whenever state is enumerated
 * (snapshot, state digest) it is sorted first. Time is the log time carried by each record, made
 * non-decreasing by the engine.
 *
 * <p>Work splits in two: {@link io.tally.engine.Engine#preVerify} decodes a record and checks its
 * signatures against the keys they name (pure, safe to run on many threads), then {@link
 * io.tally.engine.Engine#apply} applies entries one by one in log order, checking the rules that
 * depend on state: is the signing key a current key of the participant who must sign, is the
 * account known, are the funds there.
 */
@NullMarked
package io.tally.engine;

import org.jspecify.annotations.NullMarked;
