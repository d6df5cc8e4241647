package io.tally.simulator;

import io.tally.engine.TestNetwork;
import io.tally.protocol.keys.SigningKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A gateway with business systems behind it: it writes settlements signed by their participants to
 * the log and acknowledges each once the broker acknowledged one of its writes (the 202); a write
 * that failed is written again, in a new envelope, until acknowledged or expired.
 */
final class SimGateway {

  private static final long RETRY_AFTER_MS = 300;

  /** An instruction the gateway was given, and whether it acknowledged it. */
  private static final class Submitted {
    final byte[] payload;
    final SigningKey[] signers;
    final long notAfter;
    boolean acked;
    long retryAt = -1;

    Submitted(byte[] payload, SigningKey[] signers, long notAfter) {
      this.payload = payload;
      this.signers = signers;
      this.notAfter = notAfter;
    }
  }

  private final TestNetwork net;
  private final SimBroker broker;
  private final SimClock clock;
  private final Random random;
  private final Map<String, Submitted> submitted = new LinkedHashMap<>();
  long writes;

  SimGateway(TestNetwork net, SimBroker broker, SimClock clock, Random random) {
    this.net = net;
    this.broker = broker;
    this.clock = clock;
    this.random = random;
  }

  int submitted() {
    return submitted.size();
  }

  /** A new settlement between the two banks of the test network. */
  void submit() {
    net.now = clock.millis();
    String id = net.id();
    long amount = 1L + random.nextInt(40);
    byte[] payload;
    SigningKey[] signers;
    switch (random.nextInt(4)) {
      case 0 -> {
        payload = net.settle(id, TestNetwork.leg("a-eur", "b-eur", "EUR", amount));
        signers = new SigningKey[] {TestNetwork.BANK_A};
      }
      case 1 -> {
        payload = net.settle(id, TestNetwork.leg("b-eur", "a-eur", "EUR", amount));
        signers = new SigningKey[] {TestNetwork.BANK_B};
      }
      case 2 -> {
        payload = net.settle(id, TestNetwork.leg("b-bond", "a-bond", "BOND", amount % 5 + 1));
        signers = new SigningKey[] {TestNetwork.BANK_B};
      }
      default -> {
        payload =
            net.settle(
                id,
                TestNetwork.leg("a-eur", "b-eur", "EUR", amount),
                TestNetwork.leg("b-bond", "a-bond", "BOND", amount % 3 + 1));
        signers = new SigningKey[] {TestNetwork.BANK_A, TestNetwork.BANK_B};
      }
    }
    Submitted instruction = new Submitted(payload, signers, net.notAfter());
    submitted.put(id, instruction);
    write(instruction);
  }

  private void write(Submitted instruction) {
    net.now = clock.millis();
    byte[] value = net.instruction(instruction.payload, instruction.signers).value();
    writes++;
    broker.send(
        new SimBroker.Write(
            SimBroker.Topic.LOG,
            "gateway-1",
            value,
            () -> instruction.acked = true,
            () -> {
              if (!instruction.acked) {
                instruction.retryAt = clock.millis() + RETRY_AFTER_MS;
              }
            }));
  }

  /** Writes again what failed, once its retry is due, while it has not expired. */
  void tick() {
    for (Submitted instruction : submitted.values()) {
      if (instruction.retryAt >= 0 && clock.millis() >= instruction.retryAt) {
        instruction.retryAt = -1;
        if (!instruction.acked && clock.millis() < instruction.notAfter) {
          write(instruction);
        }
      }
    }
  }

  boolean retrying() {
    for (Submitted instruction : submitted.values()) {
      if (instruction.retryAt >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The ids the gateway acknowledged. */
  List<String> acknowledged() {
    List<String> ids = new ArrayList<>();
    for (Iterator<Map.Entry<String, Submitted>> each = submitted.entrySet().iterator();
        each.hasNext(); ) {
      Map.Entry<String, Submitted> entry = each.next();
      if (entry.getValue().acked) {
        ids.add(entry.getKey());
      }
    }
    return ids;
  }
}
