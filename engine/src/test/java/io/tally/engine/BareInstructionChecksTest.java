package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.BANK_C;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A front door's checks of a bare instruction agree with the checks of the sealed record. */
class BareInstructionChecksTest {

  TestNetwork net;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    engine.execute(net.world());
  }

  byte[] signed(byte[] payload, SigningKey key) {
    return GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(key)).toBytes();
  }

  /** {@code instruction} with one character of its signature changed. */
  static byte[] forged(byte[] instruction) {
    String text = new String(instruction, StandardCharsets.US_ASCII);
    int at = text.indexOf("\"signature\":\"") + 20;
    return (text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1))
        .getBytes(StandardCharsets.US_ASCII);
  }

  void agree(byte[] instruction, Code expected) {
    PreVerified bare = engine.preVerifyInstruction(instruction);
    PreVerified sealed = engine.preVerify(net.gatewayRecord(EnvelopeType.INSTRUCTION, instruction));
    assertThat(bare.earlyCode()).isEqualTo(expected);
    assertThat(sealed.earlyCode()).isEqualTo(expected);
    assertThat(bare.instructionId()).isEqualTo(sealed.instructionId());
    assertThat(bare.contentHash()).isEqualTo(sealed.contentHash());
    assertThat(bare.notAfter()).isEqualTo(sealed.notAfter());
  }

  @Test
  void aGoodInstructionPassesWithItsIdContentAndNotAfter() {
    String id = net.id();
    byte[] instruction = signed(net.settle(id, leg("a-eur", "b-eur", "EUR", 1)), BANK_A);
    agree(instruction, Code.ACCEPTED);
    assertThat(engine.preVerifyInstruction(instruction).instructionId()).hasValue(id);
  }

  @Test
  void badSignaturesUnknownSignersAndBadContentGetTheSameCodes() {
    byte[] good = signed(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A);
    agree(forged(good), Code.SIGNATURE_INVALID);
    agree(
        signed(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_C), Code.SIGNER_UNKNOWN);
    agree(
        signed(net.settle(net.id(), new TestNetwork.Leg("a-eur", "b-eur", "EUR", "0")), BANK_A),
        Code.AMOUNT_INVALID);
    agree("not json".getBytes(StandardCharsets.UTF_8), Code.MALFORMED);
  }

  @Test
  void aRecordFromTheLogIsJudgedOnItsOwnBytesAfterEarlyChecks() {
    byte[] good = signed(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 5)), BANK_A);
    assertThat(engine.preVerifyInstruction(good).earlyCode()).isEqualTo(Code.ACCEPTED);

    BlockResult block =
        engine.execute(
            List.of(
                net.gatewayRecord(EnvelopeType.INSTRUCTION, forged(good)),
                net.gatewayRecord(EnvelopeType.INSTRUCTION, good)));

    assertThat(block.outcomes())
        .extracting(Outcome::code)
        .containsExactly(Code.SIGNATURE_INVALID, Code.ACCEPTED);
    assertThat(engine.account("b-eur").orElseThrow().postedBalance()).isEqualTo(5);
  }
}
