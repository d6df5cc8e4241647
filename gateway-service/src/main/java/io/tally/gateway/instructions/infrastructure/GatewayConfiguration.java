package io.tally.gateway.instructions.infrastructure;

import io.tally.engine.Rules;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.config.GatewayProperties;
import io.tally.gateway.instructions.application.Backlog;
import io.tally.gateway.instructions.application.FinalityWaiters;
import io.tally.gateway.instructions.application.InstructionLog;
import io.tally.gateway.instructions.application.IssueReceipt;
import io.tally.gateway.instructions.application.LedgerEntries;
import io.tally.gateway.instructions.application.SubmitInstruction;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.token.AccessToken;
import io.tally.service.CertifiedReplica;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaReplicas;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import io.tally.service.TallyTopics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
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
      @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
      GatewayProperties properties,
      Genesis genesis,
      ExecutorService replicaVerifiers) {
    DefaultKafkaConsumerFactory<byte[], byte[]> consumers =
        new DefaultKafkaConsumerFactory<>(
            KafkaSettings.consumer(bootstrapServers),
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

  @Bean
  LoopRunner gatewayRunner(CertifiedReplica replica, ExecutorService replicaVerifiers) {
    return new LoopRunner(
        List.of(new LoopRunner.Loop("certified-replica", replica, replica::stop)),
        replicaVerifiers);
  }

  @Bean
  KafkaInstructionLog instructionLog(
      @Value("${spring.kafka.bootstrap-servers}") String bootstrapServers,
      GatewayProperties properties,
      Genesis genesis,
      Clock clock) {
    SigningKey key =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    // A restarted instance opens a new epoch instead of remembering its sequence numbers.
    long epoch = clock.millis();
    return new KafkaInstructionLog(
        new DefaultKafkaProducerFactory<>(
            KafkaSettings.producer(
                bootstrapServers, properties.instanceId(), properties.sendTimeout()),
            new ByteArraySerializer(),
            new ByteArraySerializer()),
        new EnvelopeWriter(properties.instanceId(), epoch, key),
        properties.logTopic(),
        properties.shard(),
        properties.sendTimeout());
  }

  @Bean
  SubmitInstruction submitInstruction(
      CertifiedReplica replica, InstructionLog instructionLog, Clock clock, Backlog backlog) {
    return new SubmitInstruction(replica, instructionLog, clock, Rules.DEFAULT, backlog);
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
