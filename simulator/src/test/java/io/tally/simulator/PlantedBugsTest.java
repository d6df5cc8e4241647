package io.tally.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.ledger.blocks.application.LedgerStore;
import org.junit.jupiter.api.Test;

/**
 * The simulator finds bugs: each test plants one in the code under simulation and requires a
 * violation within {@link #SEEDS_MAX} seeds. The seed that found it is printed for
 * docs/reliability.md.
 */
class PlantedBugsTest {

  static final int SEEDS_MAX = 50;

  @Test
  void aQuorumOneTooSmallIsFound() {
    long found = firstFailingSeed(Simulation.Options.standard().withQuorumDelta(-1));
    System.out.println("planted: a quorum one too small, found at seed " + found);
    assertThat(found).isLessThanOrEqualTo(SEEDS_MAX);
  }

  @Test
  void aCommitThatSkipsItsOffsetIsFound() {
    long found =
        firstFailingSeed(
            Simulation.Options.standard()
                .withStore(
                    invariants ->
                        new SimLedgerStore(invariants) {
                          @Override
                          LedgerStore.Snapshot snapshot(
                              long height, long nextOffset, byte[] state) {
                            return new LedgerStore.Snapshot(height, nextOffset + 1, state);
                          }
                        }));
    System.out.println("planted: a commit that skips its offset, found at seed " + found);
    assertThat(found).isLessThanOrEqualTo(SEEDS_MAX);
  }

  /** The first seed from 1 whose run breaks an invariant, or {@code SEEDS_MAX + 1} if none. */
  private static long firstFailingSeed(Simulation.Options options) {
    for (long seed = 1; seed <= SEEDS_MAX; seed++) {
      try {
        Simulation.run(seed, options);
      } catch (Violation e) {
        System.out.println("planted bug found: " + e.getMessage());
        return seed;
      }
    }
    return SEEDS_MAX + 1;
  }
}
