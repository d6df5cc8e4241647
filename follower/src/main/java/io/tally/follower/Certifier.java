package io.tally.follower;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;

/**
 * What tells the follower that a block it computed is final: a quorum of validators' signatures
 * over exactly the header it computed. {@link VoteCertifier} counts the votes themselves (the
 * ledger); {@link FinalityCertifier} checks the certificate a finality event carries (the
 * replicas). A validator certifies nothing: it votes.
 *
 * <p>One certifier serves one attempt of the follower and is closed with it.
 */
public interface Certifier extends AutoCloseable {

  /**
   * Reads what arrived since the last call, waiting a short while for some; called at every step of
   * the follower, also when no block waits (a vote arriving late can still be evidence).
   *
   * @param computedHeight the height of the newest block the follower computed
   * @param logCaughtUp whether the follower has read the log to its end
   */
  void read(long computedHeight, boolean logCaughtUp);

  /** What is known about {@code computed}, the next block to certify. */
  Verdict verdict(BlockHeader computed);

  /** {@code header} is certified and handed on: what is held for it and below can go. */
  void certified(BlockHeader header);

  @Override
  void close();

  /** What is known about a computed block. */
  sealed interface Verdict permits Certified, Waiting, Conflict {}

  /** A quorum signed exactly the computed header. */
  record Certified(QuorumCertificate certificate) implements Verdict {}

  /** Not certified yet; {@code description} says who signed what, for health and logs. */
  record Waiting(String description) implements Verdict {}

  /**
   * A quorum of validators certified another header at the computed block's height: no honest
   * header can be certified there (DESIGN section 2), so the follower stops for good.
   */
  record Conflict(BlockHeader header, QuorumCertificate certificate) implements Verdict {}
}
