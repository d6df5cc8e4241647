package io.tally.validator.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of one validator ({@code tally.validator.*}).
 *
 * @param genesisFile the network's {@code network.json}
 * @param validatorId this validator's id in the genesis validators
 * @param validatorKeyFile the validator's private key (PKCS#8 PEM): signs block headers
 * @param instanceId this process's id in the genesis instances
 * @param instanceKeyFile the instance's private key: signs the envelopes it writes (votes, cuts)
 * @param shard the log partition and chain this validator follows
 * @param logTopic the log topic ({@code tally.log})
 * @param votesTopic the votes topic ({@code tally.votes})
 * @param blockTimeout how long pending entries may wait before the first validator of the genesis
 *     writes a cut; each next validator waits half of it longer
 * @param snapshotEveryBlocks how many blocks between engine snapshots
 * @param verifierThreads threads that pre-verify signatures in parallel
 * @param clockDriftMax largest accepted difference between log time and this machine's clock
 * @param sendTimeout how long a publish may wait for the broker's acknowledgement
 * @param retryBackoffMax the cap of the backoff after a failure of the loop
 */
@ConfigurationProperties("tally.validator")
public record ValidatorProperties(
    Path genesisFile,
    String validatorId,
    Path validatorKeyFile,
    String instanceId,
    Path instanceKeyFile,
    int shard,
    String logTopic,
    String votesTopic,
    Duration blockTimeout,
    int snapshotEveryBlocks,
    int verifierThreads,
    Duration clockDriftMax,
    Duration sendTimeout,
    Duration retryBackoffMax) {}
