package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GATEWAY;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network's rule for envelope seals (ADR 0011): within a segment of a block (up to a cut
 * marker, or the block's end), a record is authentic when its signature verifies or when a later
 * authentic record of the same segment names its exact bytes as {@code prev}.
 */
class SealAdmissionTest {

  static final long EPOCH = 7;

  TestNetwork net;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    engine.execute(net.world());
  }

  byte[] instruction() {
    byte[] payload = net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1));
    return GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(BANK_A)).toBytes();
  }

  /** Record {@code seq} of gateway-1's epoch 7, chained to {@code prev}'s bytes. */
  byte[] sealed(long seq, byte[] prev) {
    Hash prevHash = seq == 0 ? Hash.ZERO : Sha256.of(prev);
    return Envelope.seal(
            EnvelopeType.INSTRUCTION,
            TestNetwork.LOG,
            "gateway-1",
            EPOCH,
            seq,
            prevHash,
            instruction(),
            GATEWAY)
        .toBytes();
  }

  /** The same bytes with one character of the signature changed: well formed, not verifying. */
  static byte[] badSignature(byte[] record) {
    byte[] bad = record.clone();
    int at = bad.length - 10;
    bad[at] = (byte) (bad[at] == 'A' ? 'B' : 'A');
    return bad;
  }

  List<Code> codes(byte[]... values) {
    List<LogRecord> records = new ArrayList<>();
    for (byte[] value : values) {
      records.add(net.record(value));
    }
    return codes(records);
  }

  List<Code> codes(List<LogRecord> records) {
    List<Code> codes = new ArrayList<>();
    engine.execute(records).outcomes().forEach(outcome -> codes.add(outcome.code()));
    return codes;
  }

  @Test
  void aRecordItsProducerChainedLaterInTheSegmentIsAdmittedWithoutItsOwnSignature() {
    byte[] first = badSignature(sealed(0, new byte[0]));
    byte[] second = sealed(1, first);

    assertThat(codes(first, second)).containsExactly(Code.ACCEPTED, Code.ACCEPTED);
  }

  @Test
  void aBadSignatureNobodyChainedIsRefused() {
    byte[] first = sealed(0, new byte[0]);
    byte[] second = badSignature(sealed(1, first));

    assertThat(codes(first, second)).containsExactly(Code.ACCEPTED, Code.SIGNATURE_INVALID);
  }

  @Test
  void aRecordChangedAfterItsProducerChainedItIsRefused() {
    byte[] first = sealed(0, new byte[0]);
    byte[] second = sealed(1, first);

    assertThat(codes(badSignature(first), second))
        .containsExactly(Code.SIGNATURE_INVALID, Code.ACCEPTED);
  }

  @Test
  void aRecordAnotherProducerChainedIsNotVouchedFor() {
    byte[] first = badSignature(sealed(0, new byte[0]));
    Envelope other =
        Envelope.seal(
            EnvelopeType.INSTRUCTION,
            TestNetwork.LOG,
            "identity-1",
            EPOCH,
            1,
            Sha256.of(first),
            instruction(),
            TestNetwork.IDENTITY);

    assertThat(codes(first, other.toBytes()).get(0)).isEqualTo(Code.SIGNATURE_INVALID);
  }

  @Test
  void vouchingEndsAtACutMarker() {
    byte[] first = badSignature(sealed(0, new byte[0]));
    byte[] second = sealed(1, first);
    List<LogRecord> records =
        List.of(net.record(first), net.cut(engine.height() + 5), net.record(second));

    assertThat(codes(records))
        .containsExactly(Code.SIGNATURE_INVALID, Code.CUT_IGNORED, Code.ACCEPTED);
  }

  @Test
  void recordsOfferedOneByOneAndAppliedAsABlockGiveTheSameHeader() {
    byte[] first = badSignature(sealed(0, new byte[0]));
    byte[] second = sealed(1, first);
    byte[] third = badSignature(sealed(2, second));
    List<LogRecord> records =
        List.of(net.record(first), net.record(second), net.record(third), net.cut(2));
    Engine streamed = new Engine(GENESIS, Rules.DEFAULT, 0);
    streamed.execute(new TestNetwork().world());

    BlockResult applied = engine.execute(records);
    List<BlockResult> offered = new ArrayList<>();
    for (LogRecord record : records) {
      streamed.offer(streamed.preVerify(record)).ifPresent(offered::add);
    }

    assertThat(offered).hasSize(1);
    assertThat(offered.get(0).header().toBytes()).isEqualTo(applied.header().toBytes());
    assertThat(applied.outcomes())
        .extracting(Outcome::code)
        .containsExactly(Code.ACCEPTED, Code.ACCEPTED, Code.SIGNATURE_INVALID, Code.ACCEPTED);
  }
}
