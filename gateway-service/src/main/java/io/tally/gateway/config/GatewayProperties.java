package io.tally.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of one gateway instance ({@code tally.gateway.*}).
 *
 * @param genesisFile the network's {@code network.json}
 * @param instanceId this process's id in the genesis instances: seals the envelopes it writes
 * @param instanceKeyFile the instance's private key (PKCS#8 PEM)
 * @param shard the log partition instructions go to
 * @param logTopic the log topic ({@code tally.log})
 * @param finalizedTopic the finality events the replica follows ({@code tally.finalized})
 * @param bodyMax the largest request body accepted (413 beyond)
 * @param sendTimeout how long a write may wait for the broker's acknowledgement
 * @param ledgerUrl a ledger replica's base URL, where receipts' parts are fetched (and checked)
 * @param batchMax the most instructions in one batch submission
 * @param backlogMax records written here and not yet certified, beyond which submissions get 429
 * @param snapshotDir where the replica keeps its newest snapshot (a cache); empty: none, replay the
 *     log from the start at every start
 * @param snapshotEveryBlocks how many certified blocks between the replica's snapshots
 * @param events the finality events held for readers who resume
 * @param webhooks the webhooks' store and delivery
 */
@ConfigurationProperties("tally.gateway")
public record GatewayProperties(
    Path genesisFile,
    String instanceId,
    Path instanceKeyFile,
    int shard,
    String logTopic,
    String finalizedTopic,
    DataSize bodyMax,
    Duration sendTimeout,
    URI ledgerUrl,
    int batchMax,
    long backlogMax,
    String snapshotDir,
    int snapshotEveryBlocks,
    Events events,
    Webhooks webhooks) {

  /**
   * The finality events held in memory.
   *
   * @param kept the most finality events held in memory: SSE readers resume and webhooks deliver
   *     from them
   * @param queueMax the most events queued for one SSE reader before its stream is closed
   */
  public record Events(int kept, int queueMax) {}

  /**
   * The webhooks' store and delivery.
   *
   * @param topic the compacted topic of webhook state, shared by the gateway instances
   * @param deliver whether this instance delivers (with several instances delivering, a receiver
   *     may get a delivery more than once: it deduplicates by delivery id)
   * @param perParticipantMax the most webhooks one participant may register
   * @param poll how often due deliveries are looked for
   * @param backoffMin the wait after a first failed attempt; it doubles with each further one
   * @param backoffMax the longest wait between attempts
   * @param attemptsMax attempts before a delivery is listed as failed
   * @param timeout for connecting to an endpoint and for its answer
   * @param threads deliveries under way at once (to distinct endpoints)
   */
  public record Webhooks(
      String topic,
      boolean deliver,
      int perParticipantMax,
      Duration poll,
      Duration backoffMin,
      Duration backoffMax,
      int attemptsMax,
      Duration timeout,
      int threads) {}
}
