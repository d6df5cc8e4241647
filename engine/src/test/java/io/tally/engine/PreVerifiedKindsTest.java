package io.tally.engine;

import static io.tally.engine.TestNetwork.ADMIN_1;
import static io.tally.engine.TestNetwork.ADMIN_2;
import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.key;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each {@link PreVerified} kind comes from the input it stands for, carries what that input can
 * tell, and nothing more: refused records, cut markers, anonymous entries (no readable id) and
 * signed entries (id, {@code notAfter}, content hash).
 */
class PreVerifiedKindsTest {

  /** Ids the world's records claimed, all still remembered (log time has not moved). */
  static final int WORLD_IDS = 12;

  TestNetwork net;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    engine.execute(net.world());
  }

  Code applied(LogRecord record) {
    return engine.execute(List.of(record)).outcomes().get(0).code();
  }

  @Test
  void bytesThatAreNoEnvelopeAreRefusedWithoutEnvelopeOrId() {
    PreVerified entry =
        engine.preVerify(net.record("no envelope".getBytes(StandardCharsets.UTF_8)));

    assertThat(entry).isInstanceOf(PreVerified.Refused.class);
    assertThat(entry.earlyCode()).isEqualTo(Code.MALFORMED);
    assertThat(entry.envelope()).isEmpty();
    assertThat(entry.instructionId()).isEmpty();
    assertThat(entry.contentHash()).isEmpty();
    assertThat(entry.notAfter()).isEmpty();
    assertThat(entry.signerKeyIds()).isEmpty();
    assertThat(entry.isCut()).isFalse();
  }

  @Test
  void anEnvelopeOfAnotherStreamIsRefusedWithItsCode() {
    PreVerified entry = engine.preVerify(net.voteCopiedIntoTheLog(new byte[] {1}));

    assertThat(entry).isInstanceOf(PreVerified.Refused.class);
    assertThat(entry.earlyCode()).isEqualTo(Code.STREAM_MISMATCH);
    assertThat(entry.envelope()).isEmpty();
  }

  @Test
  void aCutMarkerIsACutWithItsHeight() {
    PreVerified entry = engine.preVerify(net.cut(2));

    assertThat(entry)
        .isInstanceOfSatisfying(PreVerified.Cut.class, cut -> assertThat(cut.height).isEqualTo(2));
    assertThat(entry.isCut()).isTrue();
    assertThat(entry.earlyCode()).isEqualTo(Code.ACCEPTED);
    assertThat(entry.envelope()).isPresent();
    assertThat(entry.instructionId()).isEmpty();
  }

  @Test
  void aCutMarkerWithAnUnreadableBodyIsAnUnreadableCutAppliedAsMalformed() {
    LogRecord record = net.sealedBy("validator-1-instance", TestNetwork.LOG, EnvelopeType.CUT, 0);
    PreVerified entry = engine.preVerify(record);

    assertThat(entry)
        .isInstanceOfSatisfying(PreVerified.Cut.class, cut -> assertThat(cut.readable()).isFalse());
    assertThat(entry.isCut()).isTrue();
    assertThat(entry.earlyCode()).isEqualTo(Code.MALFORMED);
    assertThat(applied(record)).isEqualTo(Code.MALFORMED);
  }

  @Test
  void anInstructionWhoseBodyIsNoJwsIsAnonymousWithoutContentHash() {
    LogRecord record =
        net.gatewayRecord(EnvelopeType.INSTRUCTION, "no jws".getBytes(StandardCharsets.UTF_8));
    PreVerified entry = engine.preVerify(record);

    assertThat(entry)
        .isInstanceOfSatisfying(
            PreVerified.Anonymous.class, anonymous -> assertThat(anonymous.governance).isFalse());
    assertThat(entry.earlyCode()).isEqualTo(Code.MALFORMED);
    assertThat(entry.envelope()).isPresent(); // it still takes its place in the gateway's chain
    assertThat(entry.contentHash()).isEmpty();
    assertThat(entry.instructionId()).isEmpty();
    assertThat(applied(record)).isEqualTo(Code.MALFORMED);
  }

  @Test
  void aSignedPayloadWithoutIdIsAnonymousWithItsContentHashAndSigners() {
    byte[] payload = TestNetwork.json(j -> j.member("kind", "settle").member("notAfter", 1));
    LogRecord record = net.instruction(payload, BANK_A);
    PreVerified entry = engine.preVerify(record);

    assertThat(entry).isInstanceOf(PreVerified.Anonymous.class);
    assertThat(entry.earlyCode()).isEqualTo(Code.MALFORMED);
    assertThat(entry.contentHash()).contains(Sha256.of(payload));
    assertThat(entry.signerKeyIds()).containsExactly(BANK_A.keyId());
    assertThat(entry.instructionId()).isEmpty();
    assertThat(entry.notAfter()).isEmpty();
    assertThat(applied(record)).isEqualTo(Code.MALFORMED);
    assertThat(engine.rememberedIdCount()).isEqualTo(WORLD_IDS); // without an id, nothing more
  }

  @Test
  void aGoodInstructionIsSignedWithItsIdNotAfterContentAndCommand() {
    String id = net.id();
    long notAfter = net.notAfter();
    byte[] payload = TestNetwork.settle(id, notAfter, leg("a-eur", "b-eur", "EUR", 1));
    PreVerified entry = engine.preVerify(net.instruction(payload, BANK_A));

    assertThat(entry)
        .isInstanceOfSatisfying(
            PreVerified.Signed.class,
            signed -> {
              assertThat(signed.governance).isFalse();
              assertThat(signed.command).isInstanceOf(Command.Settle.class);
              assertThat(signed.deferred).isNull();
              assertThat(signed.sealPending()).isTrue();
            });
    assertThat(entry.earlyCode()).isEqualTo(Code.ACCEPTED);
    assertThat(entry.instructionId()).hasValue(id);
    assertThat(entry.notAfter()).hasValue(notAfter);
    assertThat(entry.contentHash()).contains(Sha256.of(payload));
    assertThat(entry.signerKeyIds()).containsExactly(BANK_A.keyId());
    assertThat(entry.envelope()).isPresent();
  }

  @Test
  void anInstructionBreakingAStatelessRuleIsSignedWithItsContentCodeAndNoCommand() {
    TestNetwork.Leg[] legs = new TestNetwork.Leg[Rules.DEFAULT.legsMax() + 1];
    Arrays.fill(legs, leg("a-eur", "b-eur", "EUR", 1));
    PreVerified entry = engine.preVerify(net.instruction(net.settle(net.id(), legs), BANK_A));

    assertThat(entry)
        .isInstanceOfSatisfying(
            PreVerified.Signed.class,
            signed -> {
              assertThat(signed.command).isNull();
              assertThat(signed.contentCode).isEqualTo(Code.LEGS_TOO_MANY);
              assertThat(signed.signatureCode).isEqualTo(Code.ACCEPTED);
            });
    assertThat(entry.earlyCode()).isEqualTo(Code.LEGS_TOO_MANY);
    assertThat(entry.instructionId()).isPresent(); // the id is claimed: a retry is a duplicate
  }

  @Test
  void anInstructionSignedByAKeyNotYetRegisteredIsSignedAndVerifiedAgainWhenApplied() {
    PreVerified entry =
        engine.preVerify(
            net.instruction(
                net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), key("not-registered")));

    assertThat(entry)
        .isInstanceOfSatisfying(
            PreVerified.Signed.class, signed -> assertThat(signed.deferred).isNotNull());
    assertThat(entry.earlyCode()).isEqualTo(Code.SIGNER_UNKNOWN);
    assertThat(entry.signerKeyIds()).isEmpty();
  }

  @Test
  void aGovernanceChangeIsSignedAsGovernance() {
    String id = net.id();
    PreVerified entry =
        engine.preVerify(
            net.governance(net.registerAsset(id, "GOLD", 3, "bank-a"), ADMIN_1, ADMIN_2));

    assertThat(entry)
        .isInstanceOfSatisfying(
            PreVerified.Signed.class,
            signed -> {
              assertThat(signed.governance).isTrue();
              assertThat(signed.command).isInstanceOf(Command.RegisterAsset.class);
            });
    assertThat(entry.earlyCode()).isEqualTo(Code.ACCEPTED);
    assertThat(entry.instructionId()).hasValue(id);
  }

  @Test
  void aBareInstructionIsSignedWithoutEnvelopeAndNoSealToWaitFor() {
    String id = net.id();
    byte[] instruction =
        GeneralJws.sign(
                JwsType.INSTRUCTION,
                net.settle(id, leg("a-eur", "b-eur", "EUR", 1)),
                List.of(BANK_A))
            .toBytes();
    PreVerified entry = engine.preVerifyInstruction(instruction);

    assertThat(entry).isInstanceOf(PreVerified.Signed.class);
    assertThat(entry.envelope()).isEmpty();
    assertThat(entry.sealPending()).isFalse();
    assertThat(entry.instructionId()).hasValue(id);
    assertThat(entry.offset()).isZero();
  }

  @Test
  void aSignedEntryWhoseSealNobodyVouchesForIsRefusedWhenItsSegmentIsApplied() {
    byte[] value =
        net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A).value();
    value[value.length - 10] = (byte) (value[value.length - 10] == 'A' ? 'B' : 'A');
    LogRecord record = net.record(value);

    assertThat(engine.preVerify(record)).isInstanceOf(PreVerified.Signed.class); // seal pending
    assertThat(applied(record)).isEqualTo(Code.SIGNATURE_INVALID);
    assertThat(engine.rememberedIdCount()).isEqualTo(WORLD_IDS); // not authentic: id not claimed
  }
}
