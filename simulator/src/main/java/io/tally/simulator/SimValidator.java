package io.tally.simulator;

import io.tally.engine.TestNetwork;
import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.validator.voting.application.SnapshotStore;
import io.tally.validator.voting.application.ValidatorPolicy;
import io.tally.validator.voting.application.ValidatorStatus;
import io.tally.validator.voting.application.VotePublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One validator: the real {@link ValidatorPolicy} on the real {@link ChainFollower}, its snapshots
 * on a simulated disk that a fault may lose, its envelopes written through the simulated broker. A
 * Byzantine validator signs what its {@link Behaviour} says instead of the honest vote.
 */
final class SimValidator {

  /** What a validator does with the header it computed. */
  enum Behaviour {
    HONEST,
    /** Votes for a header with another state digest. */
    WRONG_HEADER,
    /** Votes for the honest header and for a wrong one. */
    EQUIVOCATE,
    /** Votes for nothing. */
    WITHHOLD,
    /** Votes for the header as if it were of another network. */
    OTHER_NETWORK,
    /** Votes for the header as if it were of the next height. */
    OTHER_HEIGHT
  }

  static final Duration BLOCK_TIMEOUT = Duration.ofMillis(200);

  final String id;
  final String instanceId;
  final Behaviour behaviour;
  private final Genesis genesis;
  private final SigningKey validatorKey;
  private final SimBroker broker;
  private final SimClock clock;
  private final Random random;
  private final BooleanSupplier faults;
  private final Invariants invariants;
  private final ChainFollower follower;
  // The simulated disk: survives a crash, not a lost disk.
  private SnapshotStore.@Nullable Stored disk;
  private ChainFollower.@Nullable Attempt attempt;
  private @Nullable EnvelopeWriter logWriter;
  private @Nullable EnvelopeWriter voteWriter;
  int crashes;
  int disksLost;

  SimValidator(
      int place,
      Behaviour behaviour,
      Genesis genesis,
      SimBroker broker,
      SimClock clock,
      Random random,
      BooleanSupplier faults,
      Invariants invariants) {
    this.faults = faults;
    this.id = "validator-" + place;
    this.instanceId = id + "-instance";
    this.behaviour = behaviour;
    this.genesis = genesis;
    this.validatorKey = TestNetwork.key(id);
    this.broker = broker;
    this.clock = clock;
    this.random = random;
    this.invariants = invariants;
    ValidatorStatus status = new ValidatorStatus();
    ValidatorPolicy policy =
        new ValidatorPolicy(
            validatorKey,
            new Publisher(),
            new Disk(),
            clock,
            new ValidatorPolicy.Settings(
                BLOCK_TIMEOUT.plus(BLOCK_TIMEOUT.dividedBy(2).multipliedBy(place - 1)), 4, place),
            status,
            (block, latency) -> {
              if (this.behaviour == Behaviour.HONEST) {
                invariants.honestVote(id, block.header());
              }
            });
    this.follower =
        new ChainFollower(
            genesis,
            () -> broker.logReader(1 + random.nextInt(64)),
            ParallelPreVerifier.sequential(),
            clock,
            new ChainFollower.Settings(
                id, 0, Duration.ZERO, 1, Duration.ofMinutes(10), Duration.ofSeconds(1)),
            policy);
  }

  boolean up() {
    return attempt != null;
  }

  /** Starts (or restarts) the validator from its disk, with a new epoch of its envelopes. */
  void start() {
    long epoch = clock.millis() + crashes;
    SigningKey instanceKey = TestNetwork.key(instanceId);
    logWriter = new EnvelopeWriter(instanceId, Stream.log(0), epoch, instanceKey);
    voteWriter = new EnvelopeWriter(instanceId, Stream.votes(0), epoch, instanceKey);
    attempt = follower.start();
  }

  /** One step of its follower; a failure ends the attempt, and the next step starts a new one. */
  void step() throws InterruptedException {
    ChainFollower.Attempt current = attempt;
    if (current == null) {
      return;
    }
    try {
      current.step();
    } catch (RuntimeException e) {
      invariants.failed(id, e);
      attempt = null;
      start();
    }
  }

  /** Stops at once, without closing anything; keeps the disk unless {@code loseDisk}. */
  void crash(boolean loseDisk) {
    attempt = null;
    crashes++;
    if (loseDisk) {
      disk = null;
      disksLost++;
    }
  }

  /** A compromised instance key: records the validator never meant, sealed with its key. */
  void writeAsAttacker() {
    EnvelopeWriter log = logWriter;
    EnvelopeWriter votes = voteWriter;
    if (log == null || votes == null) {
      return;
    }
    if (random.nextBoolean()) {
      byte[] cut =
          new JsonWriter()
              .beginObject()
              .member("height", 1 + random.nextInt(50))
              .endObject()
              .toUtf8();
      send(SimBroker.Topic.LOG, log.next(EnvelopeType.CUT, cut).toBytes());
    } else {
      byte[] garbage = ("not a vote " + random.nextLong()).getBytes(StandardCharsets.US_ASCII);
      send(SimBroker.Topic.VOTES, votes.next(EnvelopeType.VOTE, garbage).toBytes());
    }
  }

  /** An attacker's write: nobody waits for it. */
  private void send(SimBroker.Topic topic, byte[] value) {
    broker.send(new SimBroker.Write(topic, instanceId, value, () -> {}, () -> {}));
  }

  /**
   * The validator's own write: like the Kafka publisher, it returns once the broker acknowledged it
   * and throws otherwise, so that the follower starts again from the last snapshot (taken only
   * after the vote returned) and votes again.
   */
  private void publish(SimBroker.Topic topic, byte[] value) {
    SimBroker.Write write = new SimBroker.Write(topic, instanceId, value, () -> {}, () -> {});
    if (!broker.deliver(write, random, faults.getAsBoolean())) {
      throw new IllegalStateException("the broker did not acknowledge the write");
    }
  }

  private final class Publisher implements VotePublisher {

    @Override
    public void vote(long height, Vote vote) {
      EnvelopeWriter votes = voteWriter;
      if (votes == null) {
        throw new IllegalStateException("the validator is not started");
      }
      if (behaviour == Behaviour.HONEST) {
        publish(SimBroker.Topic.VOTES, votes.next(EnvelopeType.VOTE, vote.toBytes()).toBytes());
        return;
      }
      BlockHeader header;
      try {
        header = vote.verify(genesis.validators()).header();
      } catch (VerificationException e) {
        throw new AssertionError("its own vote does not verify", e);
      }
      switch (behaviour) {
        case WITHHOLD -> {}
        case WRONG_HEADER -> sign(votes, wrongState(header));
        case EQUIVOCATE -> {
          publish(SimBroker.Topic.VOTES, votes.next(EnvelopeType.VOTE, vote.toBytes()).toBytes());
          sign(votes, wrongState(header));
        }
        case OTHER_NETWORK ->
            sign(votes, withNetwork(header, Sha256.of(header.network().toBytes())));
        case OTHER_HEIGHT -> sign(votes, withHeight(header, header.height() + 1));
        case HONEST -> throw new AssertionError("handled above");
      }
    }

    private void sign(EnvelopeWriter votes, BlockHeader header) {
      Vote lie = Vote.sign(header, validatorKey);
      publish(SimBroker.Topic.VOTES, votes.next(EnvelopeType.VOTE, lie.toBytes()).toBytes());
    }

    @Override
    public void cut(long height) {
      EnvelopeWriter log = logWriter;
      if (log == null) {
        throw new IllegalStateException("the validator is not started");
      }
      byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
      publish(SimBroker.Topic.LOG, log.next(EnvelopeType.CUT, body).toBytes());
    }
  }

  private static BlockHeader wrongState(BlockHeader h) {
    Hash state = Sha256.of(h.state().toBytes());
    return new BlockHeader(
        h.network(),
        h.shard(),
        h.height(),
        h.prev(),
        h.entryCount(),
        h.entries(),
        h.results(),
        state,
        h.logTime(),
        h.firstOffset(),
        h.lastOffset());
  }

  private static BlockHeader withNetwork(BlockHeader h, Hash network) {
    return new BlockHeader(
        network,
        h.shard(),
        h.height(),
        h.prev(),
        h.entryCount(),
        h.entries(),
        h.results(),
        h.state(),
        h.logTime(),
        h.firstOffset(),
        h.lastOffset());
  }

  private static BlockHeader withHeight(BlockHeader h, long height) {
    return new BlockHeader(
        h.network(),
        h.shard(),
        height,
        h.prev(),
        h.entryCount(),
        h.entries(),
        h.results(),
        h.state(),
        h.logTime(),
        h.firstOffset(),
        h.lastOffset());
  }

  private final class Disk implements SnapshotStore {

    @Override
    public Optional<Stored> latest() {
      return Optional.ofNullable(disk);
    }

    @Override
    public void save(long height, long nextOffset, Supplier<byte[]> state) {
      disk = new Stored(height, nextOffset, state.get());
    }
  }
}
