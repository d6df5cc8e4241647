package io.tally.ledger.blocks.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.engine.Rules;
import io.tally.ledger.blocks.application.CommitCertifiedBlocks;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.ledger.config.LedgerProperties;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
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

/** Explicit wiring of the ledger; every setting that decides correctness is spelled out here. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

  @Bean
  Genesis genesis(LedgerProperties properties) {
    try {
      return Genesis.load(properties.genesisFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + properties.genesisFile(), e);
    } catch (GenesisException e) {
      throw new IllegalStateException("invalid genesis " + properties.genesisFile(), e);
    }
  }

  @Bean
  LedgerStatus ledgerStatus() {
    return new LedgerStatus();
  }

  @Bean
  KafkaTemplate<byte[], byte[]> kafkaTemplate(
      @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
      LedgerProperties properties) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, properties.instanceId());
    // A finality event counts as published only once every in-sync replica has it.
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Retries never duplicate or reorder this producer's records.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.sendTimeout().toMillis());
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, properties.sendTimeout().toMillis()));
    // Sent one at a time as blocks commit: waiting to batch would only add latency (and the
    // delivery timeout must cover linger plus the request timeout).
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
    // Progress is the offsets stored with each committed block, never a broker commit.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return new DefaultKafkaConsumerFactory<>(
        config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Bean
  LedgerRunner ledgerRunner(
      LedgerProperties properties,
      Genesis genesis,
      KafkaTemplate<byte[], byte[]> kafka,
      DefaultKafkaConsumerFactory<byte[], byte[]> consumers,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      LedgerStatus status,
      MeterRegistry registry,
      Clock clock) {
    SigningKey instanceKey = instanceKey(genesis, properties);
    ExecutorService verifiers = Executors.newFixedThreadPool(properties.verifierThreads());
    String clientId = properties.instanceId();
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    OutboxRelay relay =
        new OutboxRelay(
            jdbc,
            kafka,
            new EnvelopeWriter(properties.instanceId(), clock.millis(), instanceKey),
            properties.finalizedTopic(),
            properties.sendTimeout());
    CommitCertifiedBlocks loop =
        new CommitCertifiedBlocks(
            genesis,
            Rules.DEFAULT,
            () ->
                new KafkaLogReader(
                    consumers.createConsumer(null, clientId, "-log"),
                    properties.logTopic(),
                    properties.shard()),
            () ->
                new KafkaVoteReader(
                    consumers.createConsumer(null, clientId, "-votes"), properties.votesTopic()),
            new JdbcLedgerStore(jdbc, transactions, relay::wake),
            verifiers,
            new CommitCertifiedBlocks.Settings(
                properties.shard(),
                properties.snapshotEveryBlocks(),
                // The slot after the validators' (see ValidatorConfiguration): no two services
                // on one host pause to serialize their state at the same height.
                (int)
                    ((long) genesis.validators().members().size()
                        * properties.snapshotEveryBlocks()
                        / (genesis.validators().members().size() + 1)),
                properties.pendingBlocksMax(),
                properties.retryBackoffMax()),
            status,
            new MicrometerCommitObserver(registry),
            clock);
    return new LedgerRunner(loop, relay, verifiers);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  LedgerHealthIndicator ledgerHealthIndicator(LedgerStatus status) {
    return new LedgerHealthIndicator(status);
  }

  /** Reads the instance key file and checks that it holds the genesis key of this instance. */
  private static SigningKey instanceKey(Genesis genesis, LedgerProperties properties) {
    SigningKey key;
    try {
      key = PrivateKeyFile.read(properties.instanceKeyFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the private key file " + properties.instanceKeyFile(), e);
    }
    boolean matches =
        genesis
            .instances()
            .member(properties.instanceId())
            .map(m -> m.key().equals(key.verificationKey()))
            .orElse(false);
    if (!matches) {
      throw new IllegalStateException(
          properties.instanceKeyFile()
              + " does not hold the genesis key of instance "
              + properties.instanceId());
    }
    return key;
  }
}
