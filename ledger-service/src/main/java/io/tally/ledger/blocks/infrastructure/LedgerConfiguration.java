package io.tally.ledger.blocks.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.follower.VoteCertifier;
import io.tally.ledger.blocks.application.LedgerPolicy;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.ledger.config.LedgerProperties;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaLogReader;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import io.tally.service.OutboxRelay;
import io.tally.service.TallyTopics;
import io.tally.service.health.CaughtUpHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Explicit wiring of the ledger; every setting that decides correctness is spelled out here. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

  /** The longest wait for records of the log, and then of the votes topic, in one step. */
  private static final Duration POLL = Duration.ofMillis(10);

  /** Certified blocks queued for the committer thread while the next ones are computed. */
  private static final int COMMITS_QUEUED_MAX = 8;

  @Bean
  Genesis genesis(LedgerProperties properties) {
    return GenesisKeys.genesis(properties.genesisFile());
  }

  @Bean
  KafkaAdmin.NewTopics tallyTopics(LedgerProperties properties) {
    return new KafkaAdmin.NewTopics(
        TallyTopics.log(properties.logTopic()),
        TallyTopics.votes(properties.votesTopic()),
        TallyTopics.finalized(properties.finalizedTopic()));
  }

  @Bean
  LedgerStatus ledgerStatus() {
    return new LedgerStatus();
  }

  @Bean
  KafkaTemplate<byte[], byte[]> kafkaTemplate(KafkaProperties kafka, LedgerProperties properties) {
    Map<String, Object> config =
        KafkaSettings.producer(kafka, properties.instanceId(), properties.sendTimeout());
    return new KafkaTemplate<>(
        new DefaultKafkaProducerFactory<>(
            config, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  @Bean
  DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(KafkaProperties kafka) {
    Map<String, Object> config = KafkaSettings.consumer(kafka);
    return new DefaultKafkaConsumerFactory<>(
        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Bean
  LoopRunner ledgerRunner(
      LedgerProperties properties,
      Genesis genesis,
      KafkaTemplate<byte[], byte[]> kafka,
      DefaultKafkaConsumerFactory<byte[], byte[]> consumers,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerStatus status,
      MeterRegistry registry,
      Clock clock) {
    SigningKey instanceKey =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    ExecutorService verifiers = Executors.newFixedThreadPool(properties.verifierThreads());
    String clientId = properties.instanceId();
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    OutboxRelay relay =
        new OutboxRelay(
            jdbc,
            kafka,
            new EnvelopeWriter(
                properties.instanceId(),
                Stream.finalized(properties.shard()),
                clock.millis(),
                instanceKey),
            EnvelopeType.FINALIZED,
            "outbox",
            "int8send(height)", // the height, 8 bytes big-endian
            properties.finalizedTopic(),
            null,
            properties.sendTimeout());
    LedgerPolicy policy =
        new LedgerPolicy(
            genesis,
            VoteCertifier.factory(
                genesis,
                properties.shard(),
                () ->
                    new KafkaVoteReader(
                        consumers.createConsumer(null, clientId, "-votes"),
                        properties.votesTopic()),
                POLL),
            new JdbcLedgerStore(jdbc, transactions, relay::wake),
            new LedgerPolicy.Settings(
                properties.shard(),
                properties.snapshotEveryBlocks(),
                // The slot after the validators' (see ValidatorConfiguration): no two services
                // on one host pause to serialize their state at the same height.
                (int)
                    ((long) genesis.validators().members().size()
                        * properties.snapshotEveryBlocks()
                        / (genesis.validators().members().size() + 1)),
                COMMITS_QUEUED_MAX),
            status,
            new MicrometerCommitObserver(registry),
            clock);
    ChainFollower loop =
        new ChainFollower(
            genesis,
            () ->
                new KafkaLogReader(
                    consumers.createConsumer(null, clientId, "-log"),
                    properties.logTopic(),
                    properties.shard()),
            new ParallelPreVerifier(verifiers),
            clock,
            new ChainFollower.Settings(
                "ledger",
                properties.shard(),
                POLL,
                properties.pendingBlocksMax(),
                properties.clockDriftMax(),
                properties.retryBackoffMax()),
            policy);
    return new LoopRunner(
        List.of(
            new LoopRunner.Loop("ledger-loop", loop, loop::stop),
            new LoopRunner.Loop("outbox-relay", relay, relay::stop)),
        verifiers);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** {@code catchUp} health, in the readiness group: DOWN while the ledger replays the log. */
  @Bean
  CaughtUpHealth catchUpHealthIndicator(
      LedgerStatus status, @Value("${tally.health.lag-max}") long lagMax) {
    return new CaughtUpHealth(status::lag, lagMax);
  }

  @Bean
  LedgerHealthIndicator ledgerHealthIndicator(LedgerStatus status) {
    return new LedgerHealthIndicator(status);
  }
}
