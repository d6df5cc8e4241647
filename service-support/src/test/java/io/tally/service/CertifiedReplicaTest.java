package io.tally.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.follower.FinalityReader;
import io.tally.follower.LogReader;
import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replica against an in-memory log and finality feed: real records, real engines, real votes
 * and certificates, so that the test decides when a block's certificate arrives.
 */
class CertifiedReplicaTest {

  final TestNetwork net = new TestNetwork();
  final List<LogRecord> log = new CopyOnWriteArrayList<>();
  volatile int read; // how far the replica's reader got
  final BlockingQueue<byte[]> finality = new LinkedBlockingQueue<>();
  final EnvelopeWriter ledger =
      new EnvelopeWriter("ledger-1", Stream.finalized(0), 1, TestNetwork.LEDGER);
  // Computes the headers the validators would sign, block by block, from the same records.
  final Engine validators = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
  final ExecutorService verifierPool = Executors.newFixedThreadPool(2);
  final ExecutorService reads = Executors.newCachedThreadPool();
  CertifiedReplica replica;
  Thread following;

  @BeforeEach
  void followTheWorld() throws Exception {
    replica =
        new CertifiedReplica(
            TestNetwork.GENESIS,
            0,
            ListReader::new,
            () -> new QueueReader(finality),
            new ParallelPreVerifier(verifierPool));
    following = new Thread(replica, "replica-under-test");
    following.start();
    List<LogRecord> world = new ArrayList<>(net.world());
    world.add(net.cut(1));
    certify(append(world));
    await(() -> replica.certifiedHeight() == 1);
  }

  @AfterEach
  void stop() throws Exception {
    replica.stop();
    following.join(10_000);
    verifierPool.shutdownNow();
    reads.shutdownNow();
  }

  @Test
  void aBalanceIsNotShownWhileItsBlockAwaitsItsCertificate() throws Exception {
    BlockHeader second = paymentComputedInBlockTwo();
    CompletableFuture<Optional<AccountView>> read =
        CompletableFuture.supplyAsync(() -> replica.account("b-eur"), reads);

    // Block 2 is computed; without its certificate the read must not answer.
    Thread.sleep(300);
    assertThat(read).isNotDone();

    certify(second);
    assertThat(read.get(10, TimeUnit.SECONDS).orElseThrow().postedBalance()).isEqualTo(300);
    CertifiedReplica.AsOf<Optional<AccountView>> labelled =
        replica.asOf(() -> replica.account("b-eur"));
    assertThat(labelled.height()).isEqualTo(2);
    assertThat(labelled.value().orElseThrow().postedBalance()).isEqualTo(300);
  }

  @Test
  void aReadFailsInsteadOfShowingABlockThatAQuorumCertifiedDifferently() throws Exception {
    BlockHeader second = paymentComputedInBlockTwo();
    CompletableFuture<Optional<AccountView>> read =
        CompletableFuture.supplyAsync(() -> replica.account("b-eur"), reads);
    certify(other(second));

    assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CertifiedReplica.NotCertified.class)
        .hasMessageContaining("stopped following");
    assertThat(replica.halted()).isNotNull();
    assertThat(replica.certifiedHeight()).isEqualTo(1);
  }

  @Test
  void aFinalityEventSealedWithAGatewayKeyHaltsNothing() throws Exception {
    BlockHeader second = paymentComputedInBlockTwo();
    EnvelopeWriter gateway =
        new EnvelopeWriter("gateway-1", Stream.finalized(0), 7, TestNetwork.GATEWAY);
    finality.add(
        gateway
            .next(
                EnvelopeType.FINALIZED,
                FinalizedEvent.toBytes(second, certificate(other(second), 3)))
            .toBytes());
    await(() -> replica.hintsRefused() == 1);

    certify(second);
    await(() -> replica.certifiedHeight() == 2);
    assertThat(replica.halted()).isNull();
  }

  @Test
  void aLedgersHintWithoutAQuorumIsCountedAndSkipped() throws Exception {
    BlockHeader second = paymentComputedInBlockTwo();
    // Two validators over the header computed, then two over another one: neither is a quorum.
    // (Two ledger instances: of one instance's hints for a height, the replica keeps the newest.)
    publish(second, certificate(second, 2));
    finality.add(
        new EnvelopeWriter("ledger-2", Stream.finalized(0), 1, TestNetwork.key("ledger-2"))
            .next(
                EnvelopeType.FINALIZED,
                FinalizedEvent.toBytes(second, certificate(other(second), 2)))
            .toBytes());
    await(() -> replica.hintsRefused() == 2);
    assertThat(replica.halted()).isNull();

    certify(second);
    await(() -> replica.certifiedHeight() == 2);
    assertThat(replica.halted()).isNull();
    assertThat(replica.account("b-eur").orElseThrow().postedBalance()).isEqualTo(300);
  }

  @Test
  void theWatchedRecordsOfACertifiedBlockAreThoseWhoseSealVerified() throws Exception {
    List<CertifiedBlock> certified = new CopyOnWriteArrayList<>();
    replica.watchProducer("gateway-1");
    replica.onCertified(certified::add);
    // Forged bytes under gateway-1 (the seal does not verify), then gateway-1's own seal around an
    // instruction whose participant signature does not verify: both SIGNATURE_INVALID.
    byte[] forged =
        flipped(
            net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A)
                .value());
    byte[] badSignature =
        flipped(
            GeneralJws.sign(
                    JwsType.INSTRUCTION,
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    List.of(TestNetwork.BANK_A))
                .toBytes());
    LogRecord sealedByGateway = net.gatewayRecord(EnvelopeType.INSTRUCTION, badSignature);
    BlockHeader second = append(List.of(net.record(forged), sealedByGateway, net.cut(2)));
    certify(second);
    await(() -> !certified.isEmpty());

    assertThat(certified.get(0).result().outcomes())
        .extracting(io.tally.engine.Outcome::code)
        .startsWith(io.tally.engine.Code.SIGNATURE_INVALID, io.tally.engine.Code.SIGNATURE_INVALID);
    assertThat(certified.get(0).watched())
        .extracting(CertifiedBlock.ChainRecord::offset)
        .containsExactly(sealedByGateway.offset());
  }

  @Test
  void whatTheBrokerDoesToTheFinalityTopicWithoutAKeyHaltsNothing() throws Exception {
    BlockHeader second = paymentComputedInBlockTwo();
    byte[] honest =
        ledger
            .next(EnvelopeType.FINALIZED, FinalizedEvent.toBytes(second, certificate(second, 3)))
            .toBytes();
    finality.add("garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    finality.add(java.util.Arrays.copyOf(honest, honest.length / 2)); // truncated
    finality.add(flipped(honest)); // changed
    finality.add(log.get(0).value()); // a log record copied into the finality topic
    finality.add(
        new EnvelopeWriter(
                "validator-1-instance", Stream.votes(0), 3, TestNetwork.key("validator-1-instance"))
            .next(EnvelopeType.VOTE, Vote.sign(second, TestNetwork.key("validator-1")).toBytes())
            .toBytes()); // a vote copied into it
    await(() -> replica.hintsRefused() == 5);
    finality.add(honest);
    finality.add(honest); // duplicated

    await(() -> replica.certifiedHeight() == 2);
    assertThat(replica.halted()).isNull();
    assertThat(replica.account("b-eur").orElseThrow().postedBalance()).isEqualTo(300);
  }

  /** The same bytes with one character of the last signature changed. */
  private static byte[] flipped(byte[] value) {
    byte[] bad = value.clone();
    int at = bad.length - 10;
    bad[at] = (byte) (bad[at] == 'A' ? 'B' : 'A');
    return bad;
  }

  @Test
  void anIgnoredCutMarkerOnAnIdleLogDoesNotHoldReads() throws Exception {
    // A marker for a later height is ignored; no validator cuts a block holding only markers, so
    // the open block may stay open for as long as the log is idle.
    LogRecord ignored = net.cut(5);
    validators.offer(validators.preVerify(ignored));
    log.add(ignored);
    await(() -> read == log.size());
    Thread.sleep(200); // the replica offers what it read

    assertThat(
            CompletableFuture.supplyAsync(() -> replica.account("b-eur"), reads)
                .get(2, TimeUnit.SECONDS))
        .isPresent();
  }

  /** A block paying 300 EUR minor units to b-eur, once the replica computed it. */
  private BlockHeader paymentComputedInBlockTwo() throws InterruptedException {
    BlockHeader header =
        append(
            List.of(
                net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 300)),
                    TestNetwork.BANK_A),
                net.cut(2)));
    await(() -> replica.computedHeight() == 2);
    return header;
  }

  /** Appends records to the log; the header the validators compute for the block they close. */
  private BlockHeader append(List<LogRecord> records) {
    Optional<BlockResult> closed = Optional.empty();
    for (LogRecord record : records) {
      closed = validators.offer(validators.preVerify(record));
      log.add(record);
    }
    return closed.orElseThrow().header();
  }

  /** Publishes the finality event of {@code header}, signed by a quorum of validators. */
  private void certify(BlockHeader header) {
    publish(header, certificate(header, 3));
  }

  /**
   * Publishes a finality event naming {@code header} with {@code certificate}, sealed by ledger-1.
   */
  private void publish(BlockHeader header, QuorumCertificate certificate) {
    finality.add(
        ledger.next(EnvelopeType.FINALIZED, FinalizedEvent.toBytes(header, certificate)).toBytes());
  }

  /** Votes of validator-1 .. validator-{@code signers} over {@code header}. */
  private static QuorumCertificate certificate(BlockHeader header, int signers) {
    List<Vote> votes = new ArrayList<>();
    for (int i = 1; i <= signers; i++) {
      votes.add(Vote.sign(header, TestNetwork.key("validator-" + i)));
    }
    return QuorumCertificate.assemble(votes);
  }

  /** A header of the same height with another results root. */
  private static BlockHeader other(BlockHeader header) {
    return new BlockHeader(
        header.network(),
        header.shard(),
        header.height(),
        header.prev(),
        header.entryCount(),
        header.entries(),
        header.state(),
        header.state(),
        header.logTime(),
        header.firstOffset(),
        header.lastOffset());
  }

  private static void await(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the replica did not get there in 30 s");
      }
      Thread.sleep(10);
    }
  }

  /** Reads {@link #log} from a position, as a Kafka consumer would. */
  private final class ListReader implements LogReader {
    private int next;

    @Override
    public void seek(long offset) {
      next = (int) offset;
    }

    @Override
    public List<LogRecord> poll(Duration timeout) {
      if (next >= log.size()) {
        sleep(Math.min(timeout.toMillis(), 10));
        return List.of();
      }
      List<LogRecord> batch = List.copyOf(log.subList(next, log.size()));
      next += batch.size();
      read = next;
      return batch;
    }

    @Override
    public long lag() {
      return (long) log.size() - next;
    }

    @Override
    public void close() {}
  }

  /** Hands over what {@link #finality} holds. */
  private static final class QueueReader implements FinalityReader {
    private final BlockingQueue<byte[]> queue;

    QueueReader(BlockingQueue<byte[]> queue) {
      this.queue = queue;
    }

    @Override
    public List<byte[]> poll(Duration timeout) {
      List<byte[]> events = new ArrayList<>();
      try {
        byte[] first = queue.poll(Math.min(timeout.toMillis(), 10), TimeUnit.MILLISECONDS);
        if (first != null) {
          events.add(first);
          queue.drainTo(events);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return events;
    }

    @Override
    public void close() {}
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
