package io.tally.service;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The network's topics, declared by each service that uses them, so that Spring Kafka creates them
 * at start when they do not exist (an existing topic is left as it is; the log reader refuses a log
 * without broker time). One partition each (shard 0); replication is the broker's default.
 */
public final class TallyTopics {

  private TallyTopics() {}

  /** The log: {@code LogAppendTime}, so every reader sees the same record time; kept forever. */
  public static NewTopic log(String name) {
    return TopicBuilder.name(name)
        .partitions(1)
        .config(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
        .config(TopicConfig.RETENTION_MS_CONFIG, "-1")
        .build();
  }

  /** The votes: kept forever (they are the evidence of equivocation). */
  public static NewTopic votes(String name) {
    return TopicBuilder.name(name)
        .partitions(1)
        .config(TopicConfig.RETENTION_MS_CONFIG, "-1")
        .build();
  }

  /** Finality events: the broker's retention (the ledger's database is the record). */
  public static NewTopic finalized(String name) {
    return TopicBuilder.name(name).partitions(1).build();
  }
}
