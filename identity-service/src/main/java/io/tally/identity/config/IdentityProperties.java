package io.tally.identity.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of one identity-service instance ({@code tally.identity.*}).
 *
 * @param genesisFile the network's {@code network.json}
 * @param instanceId this process's id in the genesis instances: seals the entries it publishes
 * @param instanceKeyFile the instance's private key (PKCS#8 PEM)
 * @param shard the log partition governance entries go to
 * @param logTopic the log topic ({@code tally.log})
 * @param finalizedTopic the finality events ({@code tally.finalized}) the directory follows
 * @param sendTimeout how long a publish may wait for the broker's acknowledgement
 * @param snapshotDir where the directory's replica keeps its newest snapshot (a cache); empty:
 *     none, replay the log from the start at every start
 * @param snapshotEveryBlocks how many certified blocks between the replica's snapshots
 */
@ConfigurationProperties("tally.identity")
public record IdentityProperties(
    Path genesisFile,
    String instanceId,
    Path instanceKeyFile,
    int shard,
    String logTopic,
    String finalizedTopic,
    Duration sendTimeout,
    String snapshotDir,
    int snapshotEveryBlocks) {}
