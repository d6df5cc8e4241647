/**
 * The chain follower: the one job every reader of the chain runs. {@link
 * io.tally.follower.ChainFollower} restores the engine from a snapshot, reads the log in order,
 * pre-verifies records in parallel, offers them to the engine, certifies each block it computes
 * (from votes with {@link io.tally.follower.VoteCertifier}, or from finality events and their
 * certificate with {@link io.tally.follower.FinalityCertifier}), decides when to snapshot and backs
 * off, capped, after a failure. A service keeps only its policy ({@link
 * io.tally.follower.FollowerPolicy}): a validator votes, the ledger commits, a replica serves.
 *
 * <p>Nothing here knows Kafka, PostgreSQL or Spring: the log, the votes, the finality events and
 * the clock come in through small interfaces, so that the simulator runs exactly this code over a
 * simulated broker, clock and disks.
 */
@NullMarked
package io.tally.follower;

import org.jspecify.annotations.NullMarked;
