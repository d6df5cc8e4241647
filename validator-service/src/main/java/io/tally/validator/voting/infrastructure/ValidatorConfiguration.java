package io.tally.validator.voting.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaLogReader;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import io.tally.service.TallyTopics;
import io.tally.service.health.CaughtUpHealth;
import io.tally.validator.config.ValidatorProperties;
import io.tally.validator.voting.application.ValidatorPolicy;
import io.tally.validator.voting.application.ValidatorStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/** Explicit wiring of the validator; every setting that decides correctness is spelled out here. */
@Configuration(proxyBeanMethods = false)
class ValidatorConfiguration {

  @Bean
  Genesis genesis(ValidatorProperties properties) {
    return GenesisKeys.genesis(properties.genesisFile());
  }

  @Bean
  KafkaAdmin.NewTopics tallyTopics(ValidatorProperties properties) {
    return new KafkaAdmin.NewTopics(
        TallyTopics.log(properties.logTopic()), TallyTopics.votes(properties.votesTopic()));
  }

  @Bean
  ValidatorStatus validatorStatus() {
    return new ValidatorStatus();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  KafkaTemplate<byte[], byte[]> kafkaTemplate(
      KafkaProperties kafka, ValidatorProperties properties) {
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
  LoopRunner validatorRunner(
      ValidatorProperties properties,
      Genesis genesis,
      KafkaTemplate<byte[], byte[]> kafka,
      DefaultKafkaConsumerFactory<byte[], byte[]> consumers,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      ValidatorStatus status,
      MeterRegistry registry,
      Clock clock) {
    SigningKey validatorKey =
        GenesisKeys.memberKey(
            genesis.validators(), properties.validatorId(), properties.validatorKeyFile());
    SigningKey instanceKey =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    long epoch = clock.millis();
    ExecutorService verifiers = Executors.newFixedThreadPool(properties.verifierThreads());
    String clientId = properties.instanceId();
    Duration cutTimeout = cutTimeout(genesis, properties.validatorId(), properties.blockTimeout());
    ValidatorPolicy policy =
        new ValidatorPolicy(
            validatorKey,
            new KafkaVotePublisher(
                kafka,
                new EnvelopeWriter(
                    properties.instanceId(), Stream.log(properties.shard()), epoch, instanceKey),
                new EnvelopeWriter(
                    properties.instanceId(), Stream.votes(properties.shard()), epoch, instanceKey),
                properties.logTopic(),
                properties.shard(),
                properties.votesTopic(),
                properties.sendTimeout()),
            new JdbcSnapshotStore(jdbc, transactions),
            clock,
            new ValidatorPolicy.Settings(
                cutTimeout, properties.snapshotEveryBlocks(), snapshotPhase(genesis, properties)),
            status,
            new MicrometerBlockObserver(registry));
    ChainFollower follower =
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
                "validator",
                properties.shard(),
                ValidatorPolicy.poll(properties.blockTimeout()),
                1,
                properties.clockDriftMax(),
                properties.retryBackoffMax()),
            policy);
    VoteWatcher watcher =
        new VoteWatcher(
            genesis,
            () -> consumers.createConsumer(null, clientId, "-votes-" + UUID.randomUUID()),
            properties.votesTopic(),
            new JdbcEvidenceStore(jdbc),
            status,
            clock,
            properties.blockTimeout().multipliedBy(20).plusSeconds(1));
    return new LoopRunner(
        List.of(
            new LoopRunner.Loop("validator-loop", follower, follower::stop),
            new LoopRunner.Loop("vote-watcher", watcher, watcher::stop)),
        verifiers);
  }

  /** {@code catchUp} health, in the readiness group: DOWN while the loop replays the log. */
  @Bean
  CaughtUpHealth catchUpHealthIndicator(
      ValidatorStatus status, @Value("${tally.health.lag-max}") long lagMax) {
    return new CaughtUpHealth(status::lag, lagMax);
  }

  @Bean
  ValidatorHealthIndicator validatorHealthIndicator(ValidatorStatus status) {
    return new ValidatorHealthIndicator(status);
  }

  /**
   * Spreads the validators' snapshot heights evenly over the snapshot interval, leaving a slot for
   * the ledger (which takes the last one).
   */
  private static int snapshotPhase(Genesis genesis, ValidatorProperties properties) {
    int validators = genesis.validators().members().size();
    return (int)
        ((long) place(genesis, properties.validatorId())
            * properties.snapshotEveryBlocks()
            / (validators + 1));
  }

  /**
   * How long this validator holds pending entries before it writes a cut: the first validator of
   * the genesis after {@code blockTimeout}, each next one half a timeout later. With all up, the
   * others read the first cut before their own timers run out, so a block costs every reader one
   * cut marker rather than one per validator; with the first down, the second cuts half a timeout
   * later. Which cut comes first never changes what the block holds: the log decides.
   */
  static Duration cutTimeout(Genesis genesis, String validatorId, Duration blockTimeout) {
    return blockTimeout.plus(blockTimeout.dividedBy(2).multipliedBy(place(genesis, validatorId)));
  }

  /** The validator's place in the genesis' list (0 for the first). */
  private static int place(Genesis genesis, String validatorId) {
    List<Member> members = genesis.validators().members();
    int index = 0;
    while (index < members.size() && !members.get(index).id().equals(validatorId)) {
      index++;
    }
    return index;
  }
}
