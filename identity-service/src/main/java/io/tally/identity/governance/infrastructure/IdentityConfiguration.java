package io.tally.identity.governance.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.engine.Rules;
import io.tally.identity.config.IdentityProperties;
import io.tally.identity.governance.application.GovernanceDesk;
import io.tally.identity.governance.infrastructure.persistence.ApprovalJpaRepository;
import io.tally.identity.governance.infrastructure.persistence.ProposalJpaRepository;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.CertifiedReplica;
import io.tally.service.CertifiedReplicaHealth;
import io.tally.service.CertifiedReplicaMetrics;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaReplicas;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import io.tally.service.OutboxRelay;
import io.tally.service.TallyTopics;
import io.tally.service.health.CaughtUpHealth;
import io.tally.service.web.RequestBodyLimitFilter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;

/** Explicit wiring of identity-service. */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

  /**
   * Request bodies: at most 1 MiB. A proposal and its proofs end up in one governance entry, which
   * the network takes only up to 256 KiB (the protocol's JWS limit), so nothing larger is useful;
   * without a bound the JSON converter would read any size into memory.
   */
  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit() {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(new RequestBodyLimitFilter(DataSize.ofMegabytes(1)));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1); // after the request syntax check
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  Genesis genesis(IdentityProperties properties) {
    return GenesisKeys.genesis(properties.genesisFile());
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  KafkaAdmin.NewTopics tallyTopics(IdentityProperties properties) {
    return new KafkaAdmin.NewTopics(
        TallyTopics.log(properties.logTopic()), TallyTopics.finalized(properties.finalizedTopic()));
  }

  @Bean
  KafkaTemplate<byte[], byte[]> kafkaTemplate(
      KafkaProperties kafka, IdentityProperties properties) {
    return new KafkaTemplate<>(
        new DefaultKafkaProducerFactory<>(
            KafkaSettings.producer(kafka, properties.instanceId(), properties.sendTimeout()),
            new ByteArraySerializer(),
            new ByteArraySerializer()));
  }

  @Bean
  OutboxRelay outboxRelay(
      IdentityProperties properties,
      Genesis genesis,
      KafkaTemplate<byte[], byte[]> kafka,
      JdbcTemplate jdbc,
      Clock clock) {
    SigningKey instanceKey =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    return new OutboxRelay(
        jdbc,
        kafka,
        new EnvelopeWriter(
            properties.instanceId(), Stream.log(properties.shard()), clock.millis(), instanceKey),
        EnvelopeType.GOVERNANCE,
        "outbox",
        "convert_to(proposal_id, 'UTF8')",
        properties.logTopic(),
        properties.shard(),
        properties.sendTimeout());
  }

  @Bean
  DefaultKafkaConsumerFactory<byte[], byte[]> consumerFactory(KafkaProperties kafka) {
    return new DefaultKafkaConsumerFactory<>(
        KafkaSettings.consumer(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Bean
  ExecutorService directoryVerifiers() {
    return Executors.newFixedThreadPool(2);
  }

  @Bean
  CertifiedReplica directory(
      IdentityProperties properties,
      Genesis genesis,
      DefaultKafkaConsumerFactory<byte[], byte[]> consumers,
      ExecutorService directoryVerifiers) {
    return KafkaReplicas.certified(
        genesis,
        properties.shard(),
        consumers,
        properties.instanceId(),
        properties.logTopic(),
        properties.finalizedTopic(),
        directoryVerifiers,
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
  LoopRunner identityRunner(
      OutboxRelay relay, CertifiedReplica directory, ExecutorService directoryVerifiers) {
    return new LoopRunner(
        List.of(
            new LoopRunner.Loop("outbox-relay", relay, relay::stop),
            new LoopRunner.Loop("directory", directory, directory::stop)),
        directoryVerifiers);
  }

  @Bean
  GovernanceDesk governanceDesk(
      Genesis genesis,
      ProposalJpaRepository proposals,
      ApprovalJpaRepository approvals,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      Clock clock,
      OutboxRelay relay,
      CertifiedReplica directory) {
    return new GovernanceDesk(
        genesis,
        Rules.of(genesis),
        new JpaProposalStore(proposals, approvals, jdbc, transactions, clock, relay::wake),
        clock,
        // The network's outcome of a published entry, from the certified replica: the recent
        // outcomes it keeps, and the ids the engine remembers (the governance window, 30 days).
        id -> directory.outcome(id).map(outcome -> outcome.code().name()));
  }
}
