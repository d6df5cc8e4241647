package io.tally.follower;

import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certifies blocks from finality events ({@code tally.finalized}): each is a hint signed by one
 * ledger instance, and only the quorum certificate it carries, verified against the genesis over
 * exactly the header the follower computed, certifies the block. A hint that does not check out is
 * counted and skipped, and the next one for the height is tried; the newest hint of each ledger
 * instance is kept per height, so one lying instance cannot crowd out another's. Only a certificate
 * of {@code q} validators over another header at the height is a conflict.
 */
public final class FinalityCertifier implements Certifier {

  private static final Logger log = LoggerFactory.getLogger(FinalityCertifier.class);

  private final Genesis genesis;
  private final int shard;
  private final FinalityReader reader;
  private final Duration poll;
  private final Runnable refused;
  // Height -> the newest hint of each ledger instance for it, above the certified height.
  private final Map<Long, Map<String, FinalizedEvent>> hints = new HashMap<>();
  private long certifiedHeight;

  /**
   * @param certifiedHeight hints at or below this height are ignored
   * @param refused called for each finality event skipped: unreadable, of no ledger instance, or
   *     not certifying what the follower computed
   */
  public FinalityCertifier(
      Genesis genesis,
      int shard,
      FinalityReader reader,
      long certifiedHeight,
      Duration poll,
      Runnable refused) {
    this.genesis = genesis;
    this.shard = shard;
    this.reader = reader;
    this.certifiedHeight = certifiedHeight;
    this.poll = poll;
    this.refused = refused;
  }

  @Override
  public void read(long computedHeight, boolean logCaughtUp) {
    Map<String, FinalizedEvent> held = hints.get(computedHeight);
    if (held != null && !held.isEmpty()) {
      return; // replaying: a hint for the block just computed was read before, no poll needed
    }
    for (byte[] value : reader.poll(poll)) {
      try {
        Envelope envelope = Envelope.open(value, genesis, Stream.finalized(shard));
        FinalizedEvent event = FinalizedEvent.parse(envelope.body());
        long height = event.header().height();
        if (height > certifiedHeight && event.header().shard() == shard) {
          hints.computeIfAbsent(height, h -> new LinkedHashMap<>()).put(envelope.producer(), event);
        }
      } catch (VerificationException e) {
        refused.run();
        log.warn("skipping a finality event that does not open: {}", e.getMessage());
      }
    }
  }

  @Override
  public Verdict verdict(BlockHeader computed) {
    Map<String, FinalizedEvent> atHeight = hints.get(computed.height());
    if (atHeight == null) {
      return new Waiting("no finality event for height " + computed.height() + " yet");
    }
    Iterator<FinalizedEvent> each = atHeight.values().iterator();
    while (each.hasNext()) {
      FinalizedEvent hint = each.next();
      each.remove();
      try {
        hint.certificate().verify(genesis.validators(), computed);
        return new Certified(hint.certificate());
      } catch (VerificationException e) {
        Conflict conflict = quorumOverAnotherHeader(hint, computed);
        if (conflict != null) {
          return conflict;
        }
        refused.run();
        log.warn(
            "skipping a finality event for height {} whose certificate does not certify the header"
                + " computed here: {}",
            computed.height(),
            e.getMessage());
      }
    }
    return new Waiting(
        "no finality event for height "
            + computed.height()
            + " certifies the header computed here");
  }

  /** The conflict if {@code hint} carries a quorum over another header at this height, or null. */
  private @Nullable Conflict quorumOverAnotherHeader(FinalizedEvent hint, BlockHeader computed) {
    try {
      BlockHeader other = BlockHeader.fromBytes(hint.certificate().unverifiedHeaderBytes());
      if (!other.network().equals(computed.network())
          || other.shard() != computed.shard()
          || other.height() != computed.height()
          || other.equals(computed)) {
        return null;
      }
      hint.certificate().verify(genesis.validators(), other);
      return new Conflict(other, hint.certificate());
    } catch (VerificationException e) {
      return null; // not a quorum: a bad hint
    }
  }

  @Override
  public void certified(BlockHeader header) {
    certifiedHeight = Math.max(certifiedHeight, header.height());
    hints.keySet().removeIf(height -> height <= certifiedHeight);
  }

  @Override
  public void close() {
    reader.close();
  }
}
