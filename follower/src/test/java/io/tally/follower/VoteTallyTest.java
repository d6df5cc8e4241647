package io.tally.follower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.engine.TestNetwork;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VoteTallyTest {

  final VoteTally tally = new VoteTally(3, 0, 10);

  static BlockHeader header(long height, String content) {
    Hash root = Sha256.of(content.getBytes(StandardCharsets.UTF_8));
    return new BlockHeader(
        TestNetwork.GENESIS.hash(), 0, height, Hash.ZERO, 1, root, root, root, 1_000, 0, 0);
  }

  static Vote vote(int validator, BlockHeader header) {
    return Vote.sign(header, TestNetwork.key("validator-" + validator));
  }

  void add(long offset, int validator, BlockHeader header) {
    assertThat(tally.add(offset, "validator-" + validator, header, vote(validator, header)))
        .isEmpty();
  }

  @Test
  void aHeaderIsCertifiedOnceAQuorumOfDistinctValidatorsSignedIt() throws Exception {
    BlockHeader header = header(1, "a");
    add(0, 1, header);
    add(1, 2, header);
    add(2, 2, header); // the same vote read twice counts once
    assertThat(tally.certificate(header)).isEmpty();
    add(3, 3, header);
    assertThat(
            tally
                .certificate(header)
                .orElseThrow()
                .verify(TestNetwork.GENESIS.validators(), header))
        .containsExactly("validator-1", "validator-2", "validator-3");
  }

  @Test
  void aSecondHeaderByOneValidatorIsEquivocationAndDoesNotCount() {
    BlockHeader right = header(1, "right");
    BlockHeader wrong = header(1, "wrong");
    add(0, 4, wrong);
    VoteTally.Equivocation evidence =
        tally.add(1, "validator-4", right, vote(4, right)).orElseThrow();
    assertThat(evidence.validatorId()).isEqualTo("validator-4");
    assertThat(evidence.height()).isEqualTo(1);
    assertThat(evidence.first()).isEqualTo(vote(4, wrong).toBytes());
    add(2, 1, right);
    add(3, 2, right);
    assertThat(tally.certificate(right)).isEmpty();
    add(4, 3, right);
    assertThat(tally.certificate(right)).isPresent();
    assertThat(tally.certificate(wrong)).isEmpty();
    assertThat(tally.conflicting(right)).isEmpty();
  }

  @Test
  void aQuorumOverAnotherHeaderThanTheComputedOneIsAConflict() {
    BlockHeader computed = header(1, "computed");
    BlockHeader other = header(1, "other");
    add(0, 1, other);
    add(1, 2, other);
    assertThat(tally.conflicting(computed)).isEmpty();
    add(2, 3, other);
    assertThat(tally.conflicting(computed).orElseThrow().header()).isEqualTo(other);
    assertThat(tally.certificate(computed)).isEmpty();
  }

  @Test
  void committedHeightsAreForgottenAndReadingResumesAtTheFirstVoteStillNeeded() {
    add(5, 1, header(1, "a"));
    add(7, 1, header(2, "b"));
    add(6, 2, header(1, "a"));
    assertThat(tally.resumeOffset(8)).isEqualTo(5);
    tally.committed(1);
    assertThat(tally.resumeOffset(8)).isEqualTo(7);
    assertThat(tally.isStale(1)).isTrue();
    assertThat(tally.accepts(1)).isFalse();
    tally.committed(2);
    assertThat(tally.resumeOffset(8)).isEqualTo(8);
  }

  @Test
  void aSecondHeaderArrivingAfterTheCommitIsStillEquivocation() {
    BlockHeader wrong = header(1, "wrong");
    BlockHeader right = header(1, "right");
    add(0, 4, wrong);
    add(1, 1, right);
    add(2, 2, right);
    add(3, 3, right);
    assertThat(tally.certificate(right)).isPresent();
    tally.committed(1);
    assertThat(tally.isStale(1)).isTrue();
    assertThat(tally.late("validator-4", right, vote(4, right))).isPresent();
    assertThat(tally.late("validator-1", right, vote(1, right))).isEmpty();
    assertThat(tally.late("validator-1", wrong, vote(1, wrong))).isPresent();
  }

  @Test
  void votesTooFarAheadAreRefusedUntilTheLedgerCatchesUp() {
    assertThat(tally.accepts(10)).isTrue();
    assertThat(tally.accepts(11)).isFalse();
    assertThat(tally.isStale(11)).isFalse();
    assertThatThrownBy(() -> add(0, 1, header(11, "far")))
        .isInstanceOf(IllegalArgumentException.class);
    tally.committed(1);
    assertThat(tally.accepts(11)).isTrue();
  }
}
