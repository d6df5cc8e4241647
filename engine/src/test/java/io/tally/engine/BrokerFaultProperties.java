package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Honest traffic of several producers (a gateway's instructions, four validator instances' cut
 * markers) with everything the broker can do without any key: drop records, duplicate them, reorder
 * across producers, copy records of the votes and finality topics into the log, truncate records
 * and write garbage. All randomness comes from one seed (jqwik reports it on failure).
 *
 * <p>Checked: three readers (offering records one at a time, pre-verifying in reverse order as a
 * parallel verifier may, restored from a snapshot half-way) compute the same outcome for every
 * record and the same headers; every honest record the broker delivered is admitted on its first
 * copy (never refused as a replay, another stream or a bad seal), every honest instruction it
 * delivered is applied exactly once, and no honest producer's chain ends up refused: each one's
 * next record after the faults is admitted too.
 */
class BrokerFaultProperties {

  /** One record in the log as the broker delivers it, and what it is. */
  @SuppressWarnings("ArrayRecordComponent") // the record's bytes; never compared
  private record Delivered(byte[] value, String producer, boolean honestFirstCopy, String id) {}

  @Property(tries = 200)
  void whatTheBrokerDoesWithoutAKeyChangesNoHonestOutcome(@ForAll long seed) {
    Random random = new Random(seed);
    TestNetwork net = new TestNetwork();
    List<LogRecord> world = new ArrayList<>(net.world());
    world.add(net.cut(1));

    // Honest producers, each its own chain on the log; votes and finality events on their topics.
    Map<String, ArrayDeque<Delivered>> honest = new HashMap<>();
    List<byte[]> otherTopics = new ArrayList<>();
    int instructions = 5 + random.nextInt(40);
    ArrayDeque<Delivered> gateway = new ArrayDeque<>();
    for (int i = 0; i < instructions; i++) {
      String id = net.id();
      gateway.add(
          new Delivered(
              net.instruction(net.settle(id, leg("a-eur", "b-eur", "EUR", 1)), BANK_A).value(),
              "gateway-1",
              true,
              id));
    }
    honest.put("gateway-1", gateway);
    Map<String, EnvelopeWriter> cutters = new HashMap<>();
    for (int v = 1; v <= 4; v++) {
      String producer = "validator-" + v + "-instance";
      EnvelopeWriter cuts =
          new EnvelopeWriter(producer, TestNetwork.LOG, 100 + v, TestNetwork.key(producer));
      cutters.put(producer, cuts);
      EnvelopeWriter votes =
          new EnvelopeWriter(producer, Stream.votes(0), 100 + v, TestNetwork.key(producer));
      ArrayDeque<Delivered> queue = new ArrayDeque<>();
      for (int c = 0; c < 2 + random.nextInt(6); c++) {
        queue.add(new Delivered(cut(cuts, 2 + random.nextInt(8)), producer, true, ""));
        otherTopics.add(votes.next(EnvelopeType.VOTE, new byte[] {(byte) c}).toBytes());
      }
      honest.put(producer, queue);
    }
    EnvelopeWriter ledger =
        new EnvelopeWriter("ledger-1", Stream.finalized(0), 7, TestNetwork.LEDGER);
    for (int f = 0; f < 3; f++) {
      otherTopics.add(ledger.next(EnvelopeType.FINALIZED, new byte[] {(byte) f}).toBytes());
    }

    // The broker: interleaves producers at random (their own order kept, as one partition does),
    // drops, duplicates, copies, truncates and invents records.
    List<Delivered> log = new ArrayList<>();
    List<Delivered> delivered = new ArrayList<>();
    List<String> producers = new ArrayList<>(honest.keySet());
    producers.sort(null);
    while (honest.values().stream().anyMatch(queue -> !queue.isEmpty())) {
      String producer = producers.get(random.nextInt(producers.size()));
      Delivered next = honest.getOrDefault(producer, new ArrayDeque<>()).poll();
      if (next == null) {
        continue;
      }
      int fault = random.nextInt(20);
      if (fault == 0) {
        continue; // dropped
      }
      log.add(next);
      delivered.add(next);
      if (fault == 1 && !delivered.isEmpty()) {
        Delivered again = delivered.get(random.nextInt(delivered.size()));
        log.add(new Delivered(again.value(), again.producer(), false, again.id()));
      } else if (fault == 2) {
        log.add(
            new Delivered(otherTopics.get(random.nextInt(otherTopics.size())), "copy", false, ""));
      } else if (fault == 3) {
        byte[] value = next.value();
        log.add(
            new Delivered(
                Arrays.copyOf(value, 1 + random.nextInt(value.length - 1)), "cut", false, ""));
      } else if (fault == 4) {
        byte[] garbage = new byte[1 + random.nextInt(300)];
        random.nextBytes(garbage);
        log.add(new Delivered(garbage, "garbage", false, ""));
      }
    }
    // After the faults each honest producer writes once more: its chain must still be admitted.
    List<Delivered> after = new ArrayList<>();
    String lastId = net.id();
    after.add(
        new Delivered(
            net.instruction(net.settle(lastId, leg("a-eur", "b-eur", "EUR", 1)), BANK_A).value(),
            "gateway-1",
            true,
            lastId));
    for (Map.Entry<String, EnvelopeWriter> cutter : new java.util.TreeMap<>(cutters).entrySet()) {
      after.add(new Delivered(cut(cutter.getValue(), 1_000), cutter.getKey(), true, ""));
    }
    log.addAll(after);
    // Markers for every height the open block may have, so that it closes and every record above
    // has its outcome (those after the closing one are ignored or stay in the next open block).
    EnvelopeWriter closer = java.util.Objects.requireNonNull(cutters.get("validator-1-instance"));
    for (long height = 2; height <= 120; height++) {
      log.add(new Delivered(cut(closer, height), "validator-1-instance", true, ""));
    }

    List<LogRecord> records = new ArrayList<>(world);
    long offset = world.size();
    for (Delivered record : log) {
      records.add(new LogRecord(offset++, TestNetwork.T0, record.value()));
    }

    List<Outcome> straight = run(records, false, -1);
    assertThat(run(records, true, -1)).isEqualTo(straight);
    assertThat(run(records, false, world.size() + log.size() / 2)).isEqualTo(straight);

    Map<Long, Outcome> byOffset = new HashMap<>();
    straight.forEach(o -> byOffset.put(o.offset(), o));
    Set<Code> refusedAsRecord =
        Set.of(
            Code.RECORD_REPLAYED,
            Code.STREAM_MISMATCH,
            Code.TYPE_UNEXPECTED,
            Code.ROLE_FORBIDS_TYPE,
            Code.SIGNATURE_INVALID,
            Code.PRODUCER_UNKNOWN,
            Code.MALFORMED);
    Map<String, Integer> applied = new HashMap<>();
    Set<String> honestIds = new HashSet<>();
    for (int i = 0; i < log.size(); i++) {
      Delivered record = log.get(i);
      Outcome outcome = byOffset.get((long) world.size() + i);
      if (outcome == null) {
        continue; // in the block still open at the end
      }
      if (record.honestFirstCopy()) {
        assertThat(outcome.code()).as("honest record at %d", i).isNotIn(refusedAsRecord);
        if (!record.id().isEmpty()) {
          honestIds.add(record.id());
        }
      } else if (record.producer().equals("copy")) {
        assertThat(outcome.code()).isEqualTo(Code.STREAM_MISMATCH);
      }
      if (outcome.code() == Code.ACCEPTED && !outcome.isResubmission()) {
        outcome.id().ifPresent(id -> applied.merge(id, 1, Integer::sum));
      }
    }
    for (String id : honestIds) {
      assertThat(applied).as("instruction %s", id).containsEntry(id, 1);
    }
  }

  private static byte[] cut(EnvelopeWriter writer, long height) {
    byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
    Envelope envelope = writer.next(EnvelopeType.CUT, body);
    return envelope.toBytes();
  }

  /**
   * Every outcome of the closed blocks, feeding records one at a time ({@code reversed}: pre-
   * verified in reverse order first), restored from a snapshot after the block that holds record
   * {@code restoreAt} when it is not negative.
   */
  private static List<Outcome> run(List<LogRecord> records, boolean reversed, long restoreAt) {
    Engine checking = new Engine(GENESIS, Rules.DEFAULT, 0);
    PreVerified[] byIndex = new PreVerified[records.size()];
    for (int i = records.size() - 1; reversed && i >= 0; i--) {
      byIndex[i] = checking.preVerify(records.get(i));
    }
    Engine engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    List<Outcome> outcomes = new ArrayList<>();
    boolean restored = false;
    for (int i = 0; i < records.size(); i++) {
      PreVerified entry = reversed ? byIndex[i] : engine.preVerify(records.get(i));
      Optional<BlockResult> block = engine.offer(entry);
      if (block.isPresent()) {
        outcomes.addAll(block.get().outcomes());
        if (!restored && restoreAt >= 0 && i >= restoreAt) {
          engine = Engine.restore(GENESIS, Rules.DEFAULT, engine.snapshot());
          restored = true;
        }
      }
    }
    return outcomes;
  }
}
