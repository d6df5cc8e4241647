package io.tally.gateway.instructions.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Outcome;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.service.CertifiedBlock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard against certified blocks written by hand: which records are this process's, which are
 * another's, and what is written again in which epoch.
 */
class ChainGuardTest {

  static final long EPOCH = 1_000;
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(500), ZoneOffset.UTC);
  final ChainGuard guard = new ChainGuard("gateway-1", EPOCH, clock);
  final List<CertifiedBlock.ChainRecord> watched = new ArrayList<>();
  final List<Outcome> outcomes = new ArrayList<>();
  long offset = 100;

  static byte[] instruction(int n) {
    return ("instruction-" + n).getBytes(StandardCharsets.UTF_8);
  }

  static Hash hash(long epoch, long seq) {
    return Sha256.of(("record " + epoch + "/" + seq).getBytes(StandardCharsets.UTF_8));
  }

  void seal(long epoch, long seq) {
    guard.sealed(epoch, seq, hash(epoch, seq), instruction((int) seq));
  }

  /** A record of gateway-1 in the next block with {@code code}. */
  void inBlock(long epoch, long seq, Code code) {
    watched.add(new CertifiedBlock.ChainRecord(offset, epoch, seq, hash(epoch, seq)));
    outcomes.add(new Outcome(offset, "i-" + offset, code, Outcome.NO_ORIGINAL));
    offset++;
  }

  void certify() {
    BlockHeader header =
        new BlockHeader(
            Hash.ZERO,
            0,
            1,
            Hash.ZERO,
            outcomes.size(),
            Hash.ZERO,
            Hash.ZERO,
            Hash.ZERO,
            0,
            outcomes.get(0).offset(),
            outcomes.get(outcomes.size() - 1).offset());
    guard.certified(
        new CertifiedBlock(
            new BlockResult(header, outcomes, List.of(), List.of(), List.of()), Map.of(), watched));
    watched.clear();
    outcomes.clear();
  }

  @Test
  void ownRecordsAppliedByTheNetworkLeaveNothingToWriteAgain() {
    seal(EPOCH, 0);
    seal(EPOCH, 1);
    inBlock(EPOCH, 0, Code.ACCEPTED);
    inBlock(EPOCH, 1, Code.INSUFFICIENT_FUNDS);
    certify();

    assertThat(guard.takeReopen()).isEmpty();
    assertThat(guard.pending()).isZero();
    assertThat(guard.contended()).isNull();
  }

  @Test
  void anOwnRecordRefusedAsAReplayIsWrittenAgainAboveEveryEpochSeen() throws Exception {
    seal(EPOCH, 0);
    seal(EPOCH, 1);
    inBlock(EPOCH, 0, Code.ACCEPTED);
    inBlock(EPOCH + 500, 0, Code.ACCEPTED); // another process, in a higher epoch
    inBlock(EPOCH, 1, Code.RECORD_REPLAYED);
    certify();

    ChainGuard.Reopen reopen = guard.takeReopen().orElseThrow();
    assertThat(reopen.epoch()).isEqualTo(EPOCH + 501);
    assertThat(reopen.instructions()).containsExactly(instruction(1));
    assertThat(guard.contended()).contains("epoch " + (EPOCH + 500));
    assertThatThrownBy(guard::requireUncontended).isInstanceOf(ChainGuard.Contended.class);
  }

  @Test
  void whatIsSealedBeforeTheSequencerSwitchesEpochsIsWrittenAgainToo() {
    seal(EPOCH, 0);
    inBlock(EPOCH, 0, Code.RECORD_REPLAYED);
    certify();
    seal(EPOCH, 1); // sealed by the sequencer before it takes the reopening

    ChainGuard.Reopen reopen = guard.takeReopen().orElseThrow();
    assertThat(reopen.instructions()).containsExactly(instruction(0), instruction(1));
  }

  @Test
  void recordsSealedBeforeOneInTheLogButMissingFromItAreWrittenAgain() {
    seal(EPOCH, 0);
    seal(EPOCH, 1);
    inBlock(EPOCH, 1, Code.ACCEPTED); // the broker lost seq 0 after acknowledging it
    certify();

    assertThat(guard.takeReopen().orElseThrow().instructions()).containsExactly(instruction(0));
  }

  @Test
  void aRewriteThatFailsIsWrittenAgainInTheNextEpoch() {
    seal(EPOCH, 0);
    inBlock(EPOCH, 0, Code.RECORD_REPLAYED);
    certify();
    ChainGuard.Reopen first = guard.takeReopen().orElseThrow();
    seal(first.epoch(), 0); // the sequencer seals the rewrite, and its send fails
    guard.rewriteFailed(List.of(instruction(7)));

    ChainGuard.Reopen second = guard.takeReopen().orElseThrow();
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    assertThat(second.instructions()).containsExactly(instruction(7), instruction(0));
  }

  @Test
  void aRecordUnderThisIdWithAGoodSealAndABadParticipantSignatureIsAnAlarm() {
    seal(EPOCH, 0);
    inBlock(EPOCH, 0, Code.ACCEPTED);
    inBlock(EPOCH + 9_000, 0, Code.SIGNATURE_INVALID);
    certify();

    assertThat(guard.contended()).contains("epoch " + (EPOCH + 9_000));
    assertThat(guard.foreignRecords()).isEqualTo(1);
  }

  @Test
  void recordsOfAnEarlierRunAreNoAlarmEvenInAHigherEpoch() {
    inBlock(EPOCH + 50_000, 3, Code.ACCEPTED); // the previous process's clock ran ahead
    certify();
    seal(EPOCH, 0);
    inBlock(EPOCH, 0, Code.RECORD_REPLAYED);
    certify();

    assertThat(guard.contended()).isNull();
    assertThat(guard.takeReopen().orElseThrow().epoch()).isEqualTo(EPOCH + 50_001);
  }

  @Test
  void aBrokerCopyOfAnAppliedOwnRecordIsNoAlarm() {
    seal(EPOCH, 0);
    inBlock(EPOCH, 0, Code.ACCEPTED);
    inBlock(EPOCH, 0, Code.RECORD_REPLAYED);
    certify();

    assertThat(guard.contended()).isNull();
    assertThat(guard.takeReopen()).isEmpty();
  }
}
