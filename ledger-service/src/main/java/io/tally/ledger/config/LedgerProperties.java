package io.tally.ledger.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of one ledger replica ({@code tally.ledger.*}).
 *
 * @param genesisFile the network's {@code network.json}
 * @param instanceId this process's id in the genesis instances: signs its finality events
 * @param instanceKeyFile the instance's private key (PKCS#8 PEM)
 * @param shard the log partition and chain this ledger follows
 * @param logTopic the log topic ({@code tally.log})
 * @param votesTopic the votes topic ({@code tally.votes})
 * @param finalizedTopic where finality events go ({@code tally.finalized})
 * @param verifierThreads threads that re-verify signatures in parallel
 * @param snapshotEveryBlocks how many blocks between engine snapshots (written with the block)
 * @param pendingBlocksMax blocks computed ahead of the last certified one; reading the log pauses
 *     beyond it, which bounds memory when votes lag
 * @param sendTimeout how long a finality event may wait for the broker's acknowledgement
 * @param retryBackoffMax the cap of the backoff after a failure
 * @param clockDriftMax the largest difference between log time and this machine's clock, once
 *     caught up, that raises no alarm
 */
@ConfigurationProperties("tally.ledger")
public record LedgerProperties(
    Path genesisFile,
    String instanceId,
    Path instanceKeyFile,
    int shard,
    String logTopic,
    String votesTopic,
    String finalizedTopic,
    int verifierThreads,
    int snapshotEveryBlocks,
    int pendingBlocksMax,
    Duration sendTimeout,
    Duration retryBackoffMax,
    Duration clockDriftMax) {}
