package io.tally.validator.voting.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.engine.Rules;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import io.tally.validator.config.ValidatorProperties;
import io.tally.validator.voting.application.ValidatorLoop;
import io.tally.validator.voting.application.ValidatorStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Explicit wiring of the validator; every setting that decides correctness is spelled out here. */
@Configuration(proxyBeanMethods = false)
class ValidatorConfiguration {

  @Bean
  Genesis genesis(ValidatorProperties properties) {
    try {
      return Genesis.load(properties.genesisFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + properties.genesisFile(), e);
    } catch (GenesisException e) {
      throw new IllegalStateException("invalid genesis " + properties.genesisFile(), e);
    }
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
      @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
      ValidatorProperties properties) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.instanceId());
    // A vote or cut counts as written only once every in-sync replica has it.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Retries never duplicate or reorder this producer's records.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.sendTimeout().toMillis());
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, properties.sendTimeout().toMillis()));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaTemplate<>(
        new DefaultKafkaProducerFactory<>(
            config, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  @Bean
  DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(
      @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // Progress is the snapshot's offset in our own database, never a broker commit.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return new DefaultKafkaConsumerFactory<>(
        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Bean
  ValidatorRunner validatorRunner(
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
        keyOf(genesis.validators(), properties.validatorId(), properties.validatorKeyFile());
    SigningKey instanceKey =
        keyOf(genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    long epoch = clock.millis();
    ExecutorService verifiers = Executors.newFixedThreadPool(properties.verifierThreads());
    String clientId = properties.instanceId();
    ValidatorLoop loop =
        new ValidatorLoop(
            genesis,
            Rules.DEFAULT,
            validatorKey,
            () ->
                new KafkaLogReader(
                    consumers.createConsumer(null, clientId, "-log"),
                    properties.logTopic(),
                    properties.shard()),
            new KafkaVotePublisher(
                kafka,
                new EnvelopeWriter(properties.instanceId(), epoch, instanceKey),
                new EnvelopeWriter(properties.instanceId(), epoch, instanceKey),
                properties.logTopic(),
                properties.shard(),
                properties.votesTopic(),
                properties.sendTimeout()),
            new JdbcSnapshotStore(jdbc, transactions),
            verifiers,
            clock,
            new ValidatorLoop.Settings(
                properties.shard(),
                properties.blockTimeout(),
                properties.snapshotEveryBlocks(),
                snapshotPhase(genesis, properties),
                properties.clockDriftMax(),
                properties.retryBackoffMax()),
            status,
            new MicrometerBlockObserver(registry));
    VoteWatcher watcher =
        new VoteWatcher(
            genesis,
            () -> consumers.createConsumer(null, clientId, "-votes-" + UUID.randomUUID()),
            properties.votesTopic(),
            new JdbcEvidenceStore(jdbc),
            status,
            clock,
            properties.blockTimeout().multipliedBy(20).plusSeconds(1));
    return new ValidatorRunner(loop, watcher, verifiers);
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
    List<Member> members = genesis.validators().members();
    int index = 0;
    while (index < members.size() && !members.get(index).id().equals(properties.validatorId())) {
      index++;
    }
    return (int) ((long) index * properties.snapshotEveryBlocks() / (members.size() + 1));
  }

  /** Reads {@code file} and checks that it holds the key the genesis names for {@code id}. */
  private static SigningKey keyOf(Committee committee, String id, Path file) {
    SigningKey key;
    try {
      key = PrivateKeyFile.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the private key file " + file, e);
    }
    boolean matches =
        committee.member(id).map(m -> m.key().equals(key.verificationKey())).orElse(false);
    if (!matches) {
      throw new IllegalStateException(file + " does not hold the genesis key of " + id);
    }
    return key;
  }
}
