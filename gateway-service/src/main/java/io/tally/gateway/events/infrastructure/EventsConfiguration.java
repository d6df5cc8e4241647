package io.tally.gateway.events.infrastructure;

import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.config.GatewayProperties;
import io.tally.gateway.events.application.FinalityFeed;
import io.tally.gateway.events.application.WebhookDelivery;
import io.tally.gateway.events.application.Webhooks;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.CertifiedReplica;
import io.tally.service.GenesisKeys;
import io.tally.service.KafkaSettings;
import io.tally.service.LoopRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Finality events and webhooks: the feed over the replica, the webhook store and delivery. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

  /** The webhook state: compacted (the newest record per key is the state). */
  @Bean
  KafkaAdmin.NewTopics webhookTopic(GatewayProperties properties) {
    return new KafkaAdmin.NewTopics(
        TopicBuilder.name(properties.webhooks().topic())
            .partitions(1)
            .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            .build());
  }

  /** Sends SSE readers their events: two threads, each reader's queue drained by one at a time. */
  @Bean(destroyMethod = "shutdownNow")
  ExecutorService finalityDrain() {
    return Executors.newFixedThreadPool(2, named("finality-sse"));
  }

  @Bean(destroyMethod = "stop")
  FinalityFeed finalityFeed(
      CertifiedReplica replica, GatewayProperties properties, ExecutorService finalityDrain) {
    return FinalityFeed.of(
        replica, finalityDrain, properties.events().kept(), properties.events().queueMax());
  }

  @Bean
  KafkaWebhookStore webhookStore(
      KafkaProperties kafka,
      GatewayProperties properties,
      Genesis genesis,
      KafkaAdmin admin,
      KafkaAdmin.NewTopics webhookTopic) {
    admin.initialize(); // the topic exists before it is read
    SigningKey key =
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile());
    KafkaWebhookStore store =
        new KafkaWebhookStore(
            new KafkaConsumer<>(
                KafkaSettings.consumer(kafka),
                new StringDeserializer(),
                new ByteArrayDeserializer()),
            new KafkaProducer<>(
                KafkaSettings.producer(
                    kafka, properties.instanceId() + "-webhooks", properties.sendTimeout()),
                new StringSerializer(),
                new ByteArraySerializer()),
            properties.webhooks().topic(),
            genesis,
            key,
            properties.sendTimeout());
    store.load(LOAD_TIMEOUT);
    return store;
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService webhookPosts(GatewayProperties properties) {
    return Executors.newFixedThreadPool(properties.webhooks().threads(), named("webhook-post"));
  }

  private static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Bean
  WebhookDelivery webhookDelivery(
      KafkaWebhookStore store,
      FinalityFeed feed,
      GatewayProperties properties,
      Genesis genesis,
      AccessControl access,
      Clock clock,
      ExecutorService webhookPosts) {
    GatewayProperties.Webhooks settings = properties.webhooks();
    return new WebhookDelivery(
        store,
        feed,
        new HttpWebhookSender(settings.timeout()),
        GenesisKeys.memberKey(
            genesis.instances(), properties.instanceId(), properties.instanceKeyFile()),
        access::auditor,
        clock,
        webhookPosts,
        new WebhookDelivery.Settings(
            settings.poll(), settings.backoffMin(), settings.backoffMax(), settings.attemptsMax()));
  }

  @Bean
  Webhooks webhooks(
      KafkaWebhookStore store,
      FinalityFeed feed,
      WebhookDelivery delivery,
      Clock clock,
      GatewayProperties properties) {
    return new Webhooks(store, feed, delivery, clock, properties.webhooks().perParticipantMax());
  }

  @Bean
  LoopRunner webhookRunner(
      KafkaWebhookStore store,
      WebhookDelivery delivery,
      GatewayProperties properties,
      ExecutorService webhookPosts) {
    List<LoopRunner.Loop> loops = new ArrayList<>();
    loops.add(new LoopRunner.Loop("webhook-store", store, store::close));
    if (properties.webhooks().deliver()) {
      loops.add(new LoopRunner.Loop("webhook-delivery", delivery, delivery::stop));
    }
    return new LoopRunner(loops, webhookPosts);
  }
}
