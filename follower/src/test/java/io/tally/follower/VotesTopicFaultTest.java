package io.tally.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.TestNetwork;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The votes topic as the broker may deliver it without any key: four validators' honest votes over
 * a run of heights, interleaved across producers, dropped, duplicated, truncated, mixed with
 * garbage and with records copied from the log and finality topics. Read the way the ledger reads
 * it ({@link Vote#open}, then {@link VoteTally}), every height for which a quorum of honest votes
 * was delivered is certified over its honest header, and nothing the broker did counts as a vote,
 * an equivocation or a conflicting certificate. The seed is the repetition number.
 */
class VotesTopicFaultTest {

  static final int HEIGHTS = 12;

  @RepeatedTest(100)
  void whatTheBrokerDoesToTheVotesTopicCertifiesEveryDeliveredQuorumAndNothingElse(
      RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    List<BlockHeader> headers = new ArrayList<>();
    for (long height = 1; height <= HEIGHTS; height++) {
      headers.add(header(height));
    }
    Map<String, ArrayDeque<byte[]>> honest = new HashMap<>();
    List<byte[]> otherTopics = new ArrayList<>();
    for (int v = 1; v <= 4; v++) {
      String instance = "validator-" + v + "-instance";
      EnvelopeWriter votes =
          new EnvelopeWriter(instance, Stream.votes(0), 7, TestNetwork.key(instance));
      EnvelopeWriter cuts =
          new EnvelopeWriter(instance, TestNetwork.LOG, 7, TestNetwork.key(instance));
      ArrayDeque<byte[]> queue = new ArrayDeque<>();
      for (BlockHeader header : headers) {
        Vote vote = Vote.sign(header, TestNetwork.key("validator-" + v));
        queue.add(votes.next(EnvelopeType.VOTE, vote.toBytes()).toBytes());
        // Its cut markers on the log: records the broker could copy into the votes topic.
        otherTopics.add(
            cuts.next(EnvelopeType.CUT, "{\"height\":1}".getBytes(StandardCharsets.UTF_8))
                .toBytes());
      }
      honest.put("validator-" + v, queue);
    }
    EnvelopeWriter ledger =
        new EnvelopeWriter("ledger-1", Stream.finalized(0), 7, TestNetwork.LEDGER);
    otherTopics.add(ledger.next(EnvelopeType.FINALIZED, new byte[] {1}).toBytes());

    // The broker's delivery, and which validators' honest votes reached each height.
    List<byte[]> topic = new ArrayList<>();
    Map<Long, Set<String>> delivered = new HashMap<>();
    List<String> validators = List.of("validator-1", "validator-2", "validator-3", "validator-4");
    while (honest.values().stream().anyMatch(q -> !q.isEmpty())) {
      String validator = validators.get(random.nextInt(validators.size()));
      byte[] next = honest.getOrDefault(validator, new ArrayDeque<>()).poll();
      if (next == null) {
        continue;
      }
      int fault = random.nextInt(12);
      if (fault == 0) {
        continue; // dropped
      }
      topic.add(next);
      delivered.computeIfAbsent(heightOf(next), h -> new HashSet<>()).add(validator);
      switch (fault) {
        case 1 -> topic.add(topic.get(random.nextInt(topic.size()))); // duplicated
        case 2 -> topic.add(otherTopics.get(random.nextInt(otherTopics.size()))); // copied
        case 3 -> topic.add(Arrays.copyOf(next, 1 + random.nextInt(next.length - 1))); // cut short
        case 4 -> {
          byte[] garbage = new byte[1 + random.nextInt(200)];
          random.nextBytes(garbage);
          topic.add(garbage);
        }
        default -> {}
      }
    }

    VoteTally tally = new VoteTally(TestNetwork.GENESIS.validators().threshold(), 0, HEIGHTS + 10);
    int counted = 0;
    for (int offset = 0; offset < topic.size(); offset++) {
      Vote.Opened opened;
      try {
        opened = Vote.open(topic.get(offset), TestNetwork.GENESIS, 0);
      } catch (VerificationException e) {
        continue; // garbage, a copy from another stream, a truncated record: not a vote
      }
      Vote.Verified verified = opened.verified();
      assertThat(tally.add(offset, verified.validatorId(), verified.header(), opened.vote()))
          .as("no honest validator equivocates")
          .isEmpty();
      counted++;
    }

    assertThat(counted)
        .isGreaterThanOrEqualTo(delivered.values().stream().mapToInt(Set::size).sum());
    for (BlockHeader header : headers) {
      assertThat(tally.conflicting(header)).isEmpty();
      boolean quorum = delivered.getOrDefault(header.height(), Set.of()).size() >= 3;
      assertThat(tally.certificate(header))
          .as("height %d", header.height())
          .matches(certificate -> certificate.isPresent() == quorum);
      tally.certificate(header).ifPresent(certificate -> assertCertifies(certificate, header));
    }
  }

  private static void assertCertifies(QuorumCertificate certificate, BlockHeader header) {
    try {
      assertThat(certificate.verify(TestNetwork.GENESIS.validators(), header))
          .hasSizeGreaterThanOrEqualTo(3);
    } catch (VerificationException e) {
      throw new AssertionError(e);
    }
  }

  private static long heightOf(byte[] honestVote) {
    try {
      return Vote.open(honestVote, TestNetwork.GENESIS, 0).verified().header().height();
    } catch (VerificationException e) {
      throw new AssertionError(e);
    }
  }

  private static BlockHeader header(long height) {
    Hash root = Sha256.of(("block " + height).getBytes(StandardCharsets.UTF_8));
    return new BlockHeader(
        TestNetwork.GENESIS.hash(), 0, height, Hash.ZERO, 1, root, root, root, 0, height, height);
  }
}
