package io.tally.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the simulator over many seeds, each a different schedule of faults. The seeds, the first one
 * and the mode come from system properties, so that a failing seed is replayed alone:
 *
 * <pre>
 * mvn -B -o -pl simulator test -Dtest=SimulationTest -Dtally.sim.from=SEED -Dtally.sim.seeds=1
 * </pre>
 *
 * and the long mode runs with {@code -Dtally.sim.long=true} (ten times the steps per seed).
 */
class SimulationTest {

  static final long FROM = Long.getLong("tally.sim.from", 1);
  static final int SEEDS = Integer.getInteger("tally.sim.seeds", 1_000);
  static final boolean LONG = Boolean.getBoolean("tally.sim.long");

  @Test
  void everySeedKeepsTheInvariantsAndFinalizesEveryAcknowledgedInstruction() {
    Simulation.Options options =
        LONG ? Simulation.Options.longRun() : Simulation.Options.standard();
    List<String> failures = new ArrayList<>();
    Totals totals = new Totals();
    long started = System.nanoTime();
    for (long seed = FROM; seed < FROM + SEEDS; seed++) {
      try {
        totals.add(Simulation.run(seed, options));
      } catch (Violation e) {
        failures.add(
            e.getMessage()
                + "\n  replay: mvn -B -o -pl simulator test -Dtest=SimulationTest -Dtally.sim.from="
                + seed
                + " -Dtally.sim.seeds=1"
                + (LONG ? " -Dtally.sim.long=true" : ""));
      }
      long done = seed - FROM + 1;
      if (done % 100 == 0) {
        System.out.printf(
            "simulator: %d of %d seeds, %d failed, %.1f s%n",
            done, SEEDS, failures.size(), (System.nanoTime() - started) / 1e9);
      }
    }
    System.out.println(totals.summary(SEEDS, failures.size(), (System.nanoTime() - started) / 1e9));
    assertThat(failures).as("seeds that broke an invariant").isEmpty();
    assertThat(totals.settlements).as("settlements checked").isPositive();
  }

  /** Sums of the reports, for docs/reliability.md. */
  static final class Totals {
    long settlements;
    long acknowledged;
    long height;
    long delivered;
    long dropped;
    long duplicated;
    long copied;
    long reordered;
    long unacknowledged;
    long validatorCrashes;
    long disksLost;
    long ledgerCrashes;
    long commitCrashes;
    long clockJumps;
    long attackerWrites;
    long replicaCrashes;
    long finalityLies;
    long hintsRefused;
    long byzantine;
    long recoveryMsMax;
    long recoveryMsSum;
    long runs;

    void add(Simulation.Report r) {
      runs++;
      settlements += r.settlementsChecked();
      acknowledged += r.acknowledged();
      height += r.height();
      delivered += r.delivered();
      dropped += r.dropped();
      duplicated += r.duplicated();
      copied += r.copied();
      reordered += r.reordered();
      unacknowledged += r.unacknowledged();
      validatorCrashes += r.validatorCrashes();
      disksLost += r.disksLost();
      ledgerCrashes += r.ledgerCrashes();
      commitCrashes += r.commitCrashes();
      clockJumps += r.clockJumps();
      attackerWrites += r.attackerWrites();
      replicaCrashes += r.replicaCrashes();
      finalityLies += r.finalityLies();
      hintsRefused += r.hintsRefused();
      byzantine += r.byzantine().equals("HONEST") ? 0 : 1;
      recoveryMsMax = Math.max(recoveryMsMax, r.recoveryMs());
      recoveryMsSum += r.recoveryMs();
    }

    String summary(int seeds, int failed, double seconds) {
      return String.format(
          "simulator: %d seeds (%d failed) in %.1f s; blocks committed %d, instructions"
              + " acknowledged %d, settlements accepted and checked %d, lost 0, doubled 0;"
              + " broker: delivered %d, dropped %d, duplicated %d, copied across topics %d,"
              + " reordered %d, acknowledgement lost %d; validator crashes %d (disks lost %d),"
              + " ledger crashes %d (inside a commit %d), broker clock jumps %d, runs with a"
              + " Byzantine validator %d, compromised-key writes %d; replica crashes %d, finality"
              + " events by a lying ledger instance %d, hints the replica refused %d; recovery"
              + " after the faults"
              + " stop: mean %d ms, max %d ms (simulated)",
          seeds,
          failed,
          seconds,
          height,
          acknowledged,
          settlements,
          delivered,
          dropped,
          duplicated,
          copied,
          reordered,
          unacknowledged,
          validatorCrashes,
          disksLost,
          ledgerCrashes,
          commitCrashes,
          clockJumps,
          byzantine,
          attackerWrites,
          replicaCrashes,
          finalityLies,
          hintsRefused,
          runs == 0 ? 0 : recoveryMsSum / runs,
          recoveryMsMax);
    }
  }
}
