/**
 * The deterministic simulator: a {@link io.tally.simulator.Simulation} runs validators and a ledger
 * on the real {@link io.tally.follower.ChainFollower}, engine and service policies, over a {@link
 * io.tally.simulator.SimBroker}, a {@link io.tally.simulator.SimClock} and in-memory disks, in one
 * thread, every choice drawn from one seed.
 */
@NullMarked
package io.tally.simulator;

import org.jspecify.annotations.NullMarked;
