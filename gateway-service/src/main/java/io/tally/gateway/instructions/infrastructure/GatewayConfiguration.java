package io.tally.gateway.instructions.infrastructure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.engine.Rules;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.config.GatewayProperties;
import io.tally.gateway.instructions.application.Backlog;
import io.tally.gateway.instructions.application.ChainGuard;
import io.tally.gateway.instructions.application.FinalityWaiters;
import io.tally.gateway.instructions.application.InstructionLog;
import io.tally.gateway.instructions.application.IssueReceipt;
import io.tally.gateway.instructions.application.LedgerEntries;
import io.tally.gateway.instructions.application.SubmitInstruction;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.token.AccessToken;
import io.tally.service.CertifiedReplica;
import io.tally.service.CertifiedReplicaHealth;
import io.tally.service.CertifiedReplicaMetrics;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaReplicas;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import io.tally.service.TallyTopics;
import io.tally.service.health.CaughtUpHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/** Explicit wiring of the gateway. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

  @Bean
  Genesis genesis(GatewayProperties properties) {
    return GenesisKeys.genesis(properties.genesisFile());
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  KafkaAdmin.NewTopics tallyTopics(GatewayProperties properties) {
    return new KafkaAdmin.NewTopics(
        TallyTopics.log(properties.logTopic()), TallyTopics.finalized(properties.finalizedTopic()));
  }

  @Bean
  ExecutorService replicaVerifiers() {
    return Executors.newFixedThreadPool(2);
  }

  @Bean
  CertifiedReplica certifiedReplica(
      KafkaProperties kafka,
      GatewayProperties properties,
      Genesis genesis,
      ExecutorService replicaVerifiers) {
    DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
        new DefaultKafkaConsumerFactory<>(
            KafkaSettings.consumer(kafka),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    return KafkaReplicas.certified(
        genesis,
        properties.shard(),
        consumers,
        properties.instanceId(),
        properties.logTopic(),
        properties.finalizedTopic(),
        replicaVerifiers,
        properties.snapshotDir(),
        properties.snapshotEveryBlocks());
  }

  /** {@code replica} health, in the liveness and readiness groups: DOWN once it halted. */
  @Bean
  CertifiedReplicaHealth replicaHealthIndicator(CertifiedReplica replica) {
    return new CertifiedReplicaHealth(replica);
  }

  /** {@code catchUp} health, in the readiness group: DOWN while the replica replays the log. */
  @Bean
  CaughtUpHealth catchUpHealthIndicator(
      CertifiedReplica replica,
      @Value("${tally.health.lag-max}") long lagMax,
      MeterRegistry registry) {
    CertifiedReplicaMetrics.register(replica, registry);
    return new CaughtUpHealth(replica::lag, lagMax);
  }

  @Bean
  LoopRunner gatewayRunner(CertifiedReplica replica, ExecutorService replicaVerifiers) {
    return new LoopRunner(
        List.of(new LoopRunner.Loop("certified-replica", replica, replica::stop)),
        replicaVerifiers);
  }

  /**
   * This gateway's chain in the log, followed through the replica's certified blocks: keeps every
   * acknowledged instruction's promise when another process writes under its id.
   */
  @Bean
  ChainGuard chainGuard(
      GatewayProperties properties, CertifiedReplica replica, Clock clock, MeterRegistry meters) {
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    ChainGuard guard = new ChainGuard(properties.instanceId(), clock.millis(), clock);
    replica.watchProducer(properties.instanceId());
    replica.onCertified(guard::certified);
    FunctionCounter.builder(
            "tally.gateway.chain.foreign.records", guard, ChainGuard::foreignRecords)
        .description("records under this gateway's producer id that it did not seal")
        .register(meters);
    FunctionCounter.builder("tally.gateway.chain.reopened", guard, ChainGuard::reopened)
        .description("epochs opened because the network refused this gateway's records")
        .register(meters);
    FunctionCounter.builder("tally.gateway.chain.rewritten", guard, ChainGuard::rewritten)
        .description("acknowledged instructions written again in a new epoch")
        .register(meters);
    return guard;
  }

  /**
   * {@code chain} health, in the readiness group: DOWN while another process writes as this one.
   */
  @Bean
  HealthIndicator chainHealthIndicator(ChainGuard guard) {
    return () -> {
      String contended = guard.contended();
      Health.Builder health = contended == null ? Health.up() : Health.down();
      health
          .withDetail("epoch", guard.currentEpoch())
          .withDetail("pending", guard.pending())
          .withDetail("foreignRecords", guard.foreignRecords())
          .withDetail("reopened", guard.reopened())
          .withDetail("rewritten", guard.rewritten());
      if (contended != null) {
        health.withDetail("contended", contended);
      }
      return health.build();
    };
  }

  @Bean
  KafkaInstructionLog instructionLog(
      KafkaProperties kafka, GatewayProperties properties, Genesis genesis, ChainGuard guard) {
    SigningKey key =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    Stream stream = Stream.log(properties.shard());
    return new KafkaInstructionLog(
        new DefaultKafkaProducerFactory<>(
            KafkaSettings.producer(kafka, properties.instanceId(), properties.sendTimeout()),
            new ByteArraySerializer(),
            new ByteArraySerializer()),
        epoch -> new EnvelopeWriter(properties.instanceId(), stream, epoch, key),
        guard.currentEpoch(),
        guard,
        properties.logTopic(),
        properties.shard(),
        properties.sendTimeout());
  }

  @Bean
  SubmitInstruction submitInstruction(
      Genesis genesis,
      CertifiedReplica replica,
      InstructionLog instructionLog,
      Clock clock,
      Backlog backlog,
      ChainGuard guard) {
    return new SubmitInstruction(replica, instructionLog, clock, Rules.of(genesis), backlog, guard);
  }

  @Bean
  AccessControl accessControl(Genesis genesis, CertifiedReplica replica, Clock clock) {
    return new AccessControl(replica, AccessToken.gatewayAudience(genesis.network()), clock);
  }

  /** A ledger replica's entries, for receipts; it is asked with a 5 s timeout per request. */
  @Bean
  LedgerEntries ledgerEntries(GatewayProperties properties) {
    return new HttpLedgerEntries(properties.ledgerUrl(), Duration.ofSeconds(5));
  }

  /** Closed (its attempt threads stopped) when the context closes: it is AutoCloseable. */
  @Bean
  IssueReceipt issueReceipt(CertifiedReplica replica, LedgerEntries ledger, Genesis genesis) {
    return new IssueReceipt(replica, ledger, genesis);
  }

  @Bean
  FinalityWaiters finalityWaiters(CertifiedReplica replica) {
    return new FinalityWaiters(replica);
  }

  @Bean
  Backlog backlog(GatewayProperties properties, CertifiedReplica replica) {
    return new Backlog(properties.backlogMax(), replica::certifiedOffset, System::nanoTime);
  }
}
