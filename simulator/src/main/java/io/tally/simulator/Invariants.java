package io.tally.simulator;

import io.tally.engine.AccountView;
import io.tally.engine.Code;
import io.tally.engine.Outcome;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What must hold after every step of a run, whatever the faults: one header per height among honest
 * validators and the ledger's commits, per asset debits equal to credits in the ledger's balances,
 * and no instruction id applied twice.
 */
final class Invariants {

  private final Map<Long, Hash> honestHeaders = new HashMap<>();
  private final Map<Long, Hash> committedHeaders = new HashMap<>();
  private final Map<String, Long> acceptedAt = new HashMap<>();
  private final Map<String, Code> finalOutcome = new HashMap<>();
  long settlementsChecked;
  long failures;

  /** An honest validator voted for {@code header}: every honest one computes the same. */
  void honestVote(String validator, BlockHeader header) {
    Hash earlier = honestHeaders.putIfAbsent(header.height(), header.hash());
    if (earlier != null && !earlier.equals(header.hash())) {
      throw new Violation(
          "two honest headers at height "
              + header.height()
              + ": "
              + validator
              + " computed another");
    }
  }

  /**
   * The ledger committed {@code header} with {@code outcomes}; its balances are {@code balances}.
   */
  void committed(
      BlockHeader header, Iterable<Outcome> outcomes, Map<String, AccountView> balances) {
    Hash earlier = committedHeaders.putIfAbsent(header.height(), header.hash());
    if (earlier != null && !earlier.equals(header.hash())) {
      throw new Violation("two certified headers at height " + header.height());
    }
    Hash honest = honestHeaders.get(header.height());
    if (honest != null && !honest.equals(header.hash())) {
      throw new Violation(
          "the ledger committed another header at height "
              + header.height()
              + " than the honest validators computed");
    }
    for (Outcome outcome : outcomes) {
      String id = outcome.instructionId();
      if (id == null || outcome.isResubmission()) {
        continue;
      }
      if (outcome.code() == Code.ACCEPTED) {
        Long first = acceptedAt.putIfAbsent(id, outcome.offset());
        if (first != null && first != outcome.offset()) {
          throw new Violation(
              "instruction "
                  + id
                  + " applied twice, at offsets "
                  + first
                  + " and "
                  + outcome.offset());
        }
        settlementsChecked++;
      }
      finalOutcome.putIfAbsent(id, outcome.code());
    }
    Map<String, Long> perAsset = new TreeMap<>();
    for (AccountView account : balances.values()) {
      perAsset.merge(account.asset(), account.postedBalance(), Long::sum);
    }
    perAsset.forEach(
        (asset, sum) -> {
          if (sum != 0) {
            throw new Violation(
                "debits and credits of "
                    + asset
                    + " differ by "
                    + sum
                    + " after height "
                    + header.height());
          }
        });
  }

  /** The final outcome of {@code id} the ledger committed, or null. */
  @Nullable Code outcome(String id) {
    return finalOutcome.get(id);
  }

  boolean isFinal(String id) {
    return finalOutcome.containsKey(id);
  }

  /** A follower's attempt failed (broker or disk), as a service's would; counted for the report. */
  void failed(String node, RuntimeException e) {
    failures++;
    lastFailure = node + ": " + e;
  }

  /** The last failure of a follower's attempt, for a violation's message. */
  String lastFailure = "none";
}
