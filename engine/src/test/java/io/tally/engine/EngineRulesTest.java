package io.tally.engine;

import static io.tally.engine.TestNetwork.ADMIN_1;
import static io.tally.engine.TestNetwork.ADMIN_2;
import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.BANK_B;
import static io.tally.engine.TestNetwork.BANK_C;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per rule: the accepted case and each way of breaking it, named after the behaviour.
 * Every test starts from {@link TestNetwork#world()}: bank-a (EUR issuer, 1,000 in a-eur) and
 * bank-b (BOND issuer, 100 in b-bond).
 */
class EngineRulesTest {

  TestNetwork net;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    BlockResult world = engine.execute(net.world());
    assertThat(world.outcomes()).extracting(Outcome::code).containsOnly(Code.ACCEPTED);
  }

  Outcome run(LogRecord record) {
    return engine.execute(List.of(record)).outcomes().get(0);
  }

  Code code(LogRecord record) {
    return run(record).code();
  }

  long balance(String account) {
    return engine.account(account).orElseThrow().postedBalance();
  }

  @Nested
  class Records {

    @Test
    void bytesThatAreNoEnvelopeAreMalformedAndTheLogMovesOn() {
      assertThat(code(net.record("not a jws".getBytes(StandardCharsets.UTF_8))))
          .isEqualTo(Code.MALFORMED);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void envelopeWithAFlippedByteIsSignatureInvalid() {
      byte[] value =
          net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A).value();
      value[value.length - 10] ^= 0x01;
      assertThat(code(net.record(value))).isIn(Code.SIGNATURE_INVALID, Code.MALFORMED);
      byte[] other =
          net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A).value();
      other[other.length - 10] = (byte) (other[other.length - 10] == 'A' ? 'B' : 'A');
      assertThat(code(net.record(other))).isEqualTo(Code.SIGNATURE_INVALID);
    }

    @Test
    void envelopeFromAnUnknownProducerIsRefused() {
      Envelope forged =
          Envelope.seal(
              EnvelopeType.INSTRUCTION,
              TestNetwork.LOG,
              "gateway-9",
              1,
              0,
              Hash.ZERO,
              new byte[] {1},
              TestNetwork.key("gateway-9"));
      assertThat(code(net.record(forged))).isEqualTo(Code.PRODUCER_UNKNOWN);
    }

    @Test
    void aReplayedRecordIsRefusedAndItsInstructionNotAppliedTwice() {
      LogRecord pay =
          net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 7)), BANK_A);
      assertThat(code(pay)).isEqualTo(Code.ACCEPTED);
      assertThat(code(net.record(pay.value()))).isEqualTo(Code.RECORD_REPLAYED);
      assertThat(balance("b-eur")).isEqualTo(7);
    }

    @Test
    void aVoteCopiedIntoTheLogIsStreamMismatchAndMovesNoChain() {
      long next = engine.height() + 1;
      BlockResult block =
          engine.execute(
              List.of(
                  net.voteCopiedIntoTheLog(new byte[] {1}),
                  net.voteCopiedIntoTheLog(new byte[] {2}),
                  net.cut(next)));

      assertThat(block.outcomes())
          .extracting(Outcome::code)
          .containsExactly(Code.STREAM_MISMATCH, Code.STREAM_MISMATCH, Code.ACCEPTED);
      assertThat(block.sequenceAnomalies()).isEmpty();
      assertThat(code(net.cut(next + 1))).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void recordsOfAnotherShardOrTopicAreStreamMismatch() {
      assertThat(code(net.sealedBy("gateway-1", Stream.log(1), EnvelopeType.INSTRUCTION, 0)))
          .isEqualTo(Code.STREAM_MISMATCH);
      assertThat(code(net.sealedBy("ledger-1", Stream.finalized(0), EnvelopeType.FINALIZED, 0)))
          .isEqualTo(Code.STREAM_MISMATCH);
    }

    @Test
    void aTypeTheProducersRoleDoesNotPermitIsRefusedAndMovesNoChain() {
      assertThat(code(net.sealedBy("gateway-1", TestNetwork.LOG, EnvelopeType.CUT, 0)))
          .isEqualTo(Code.ROLE_FORBIDS_TYPE);
      assertThat(code(net.sealedBy("ledger-1", TestNetwork.LOG, EnvelopeType.CUT, 0)))
          .isEqualTo(Code.ROLE_FORBIDS_TYPE);
      assertThat(
              code(
                  net.sealedBy(
                      "validator-1-instance", TestNetwork.LOG, EnvelopeType.INSTRUCTION, 0)))
          .isEqualTo(Code.ROLE_FORBIDS_TYPE);
      assertThat(code(net.sealedBy("identity-1", TestNetwork.LOG, EnvelopeType.INSTRUCTION, 0)))
          .isEqualTo(Code.ROLE_FORBIDS_TYPE);
      assertThat(code(net.sealedBy("gateway-1", TestNetwork.LOG, EnvelopeType.GOVERNANCE, 0)))
          .isEqualTo(Code.ROLE_FORBIDS_TYPE);

      long next = engine.height() + 1;
      BlockResult block =
          engine.execute(
              List.of(
                  net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A),
                  net.cut(next)));
      assertThat(block.outcomes()).extracting(Outcome::code).containsOnly(Code.ACCEPTED);
      assertThat(block.sequenceAnomalies()).isEmpty();
    }

    @Test
    void bodyThatIsNoJwsOrPayloadWithoutNotAfterIsMalformed() {
      assertThat(
              code(
                  net.gatewayRecord(
                      EnvelopeType.INSTRUCTION, "{}".getBytes(StandardCharsets.UTF_8))))
          .isEqualTo(Code.MALFORMED);
      byte[] noNotAfter = TestNetwork.json(j -> j.member("id", "x-1").member("kind", "settle"));
      Outcome outcome = run(net.instruction(noNotAfter, BANK_A));
      assertThat(outcome.code()).isEqualTo(Code.MALFORMED);
      assertThat(outcome.id()).isEmpty();
    }
  }

  @Nested
  class Signatures {

    @Test
    void signatureOverOtherBytesIsInvalid() {
      byte[] payload = net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1));
      String good =
          new String(
              GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(BANK_A)).toBytes(),
              StandardCharsets.UTF_8);
      String otherSignature =
          new String(
              GeneralJws.sign(
                      JwsType.INSTRUCTION, "x".getBytes(StandardCharsets.UTF_8), List.of(BANK_A))
                  .toBytes(),
              StandardCharsets.UTF_8);
      String forged =
          good.substring(0, good.indexOf("\"signature\":"))
              + otherSignature.substring(otherSignature.indexOf("\"signature\":"));
      assertThat(
              code(
                  net.gatewayRecord(
                      EnvelopeType.INSTRUCTION, forged.getBytes(StandardCharsets.UTF_8))))
          .isEqualTo(Code.SIGNATURE_INVALID);
      assertThat(balance("b-eur")).isZero();
    }

    @Test
    void signatureByAnUnregisteredKeyIsSignerUnknown() {
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_C)))
          .isEqualTo(Code.SIGNER_UNKNOWN);
    }

    @Test
    void twoSignaturesByOneKeyAreRefused() {
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A, BANK_A)))
          .isEqualTo(Code.SIGNER_DUPLICATE);
    }

    @Test
    void settlementWithoutDebtorSignatureIsRejected() {
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_B)))
          .isEqualTo(Code.DEBTOR_SIGNATURE_MISSING);
      assertThat(balance("a-eur")).isEqualTo(1_000);
    }

    @Test
    void twoLegDeliveryVersusPaymentNeedsBothDebtors() {
      TestNetwork.Leg cash = leg("a-eur", "b-eur", "EUR", 500);
      TestNetwork.Leg bond = leg("b-bond", "a-bond", "BOND", 10);
      assertThat(code(net.instruction(net.settle(net.id(), cash, bond), BANK_A)))
          .isEqualTo(Code.DEBTOR_SIGNATURE_MISSING);
      assertThat(code(net.instruction(net.settle(net.id(), cash, bond), BANK_A, BANK_B)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(balance("a-eur")).isEqualTo(500);
      assertThat(balance("b-eur")).isEqualTo(500);
      assertThat(balance("a-bond")).isEqualTo(10);
      assertThat(balance("b-bond")).isEqualTo(90);
    }

    @Test
    void instructionSignedWithARevokedKeyIsKeyRevoked() {
      SigningKey next = TestNetwork.key("bank-a-2");
      assertThat(
              code(
                  net.governance(
                      net.rotateKey(net.id(), "bank-a", next, BANK_A.keyId()), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.KEY_REVOKED);
      assertThat(code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), next)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(engine.participant("bank-a").orElseThrow().revokedKeyIds())
          .containsExactly(BANK_A.keyId());
    }

    @Test
    void keyRegisteredEarlierInTheSameBlockSignsLaterInIt() {
      List<LogRecord> block = new ArrayList<>();
      block.add(
          net.governance(net.registerParticipant(net.id(), "bank-c", BANK_C), ADMIN_1, ADMIN_2));
      block.add(net.instruction(net.openAccount(net.id(), "c-eur", "bank-c", "EUR"), BANK_C));
      assertThat(engine.execute(block).outcomes())
          .extracting(Outcome::code)
          .containsOnly(Code.ACCEPTED);
    }

    @Test
    void instructionSignedBeforeItsSignerIsRegisteredIsSignerUnknown() {
      List<LogRecord> block = new ArrayList<>();
      block.add(net.instruction(net.openAccount(net.id(), "c-eur", "bank-c", "EUR"), BANK_C));
      block.add(
          net.governance(net.registerParticipant(net.id(), "bank-c", BANK_C), ADMIN_1, ADMIN_2));
      assertThat(engine.execute(block).outcomes())
          .extracting(Outcome::code)
          .containsExactly(Code.SIGNER_UNKNOWN, Code.ACCEPTED);
    }

    @Test
    void forgedInstructionUnderAnotherPartysIdLeavesTheIdFree() {
      String id = net.id();
      assertThat(code(net.instruction(net.settle(id, leg("a-eur", "b-eur", "EUR", 1)), BANK_C)))
          .isEqualTo(Code.SIGNER_UNKNOWN);
      assertThat(code(net.instruction(net.settle(id, leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
    }
  }

  @Nested
  class OwnKeys {

    final SigningKey next = TestNetwork.key("bank-a-next");

    Code payWith(SigningKey key) {
      return code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), key));
    }

    @Test
    void aParticipantAddsAKeySignedByACurrentKeyAndTheNewOne() {
      assertThat(code(net.instruction(net.addKey(net.id(), "bank-a", next), BANK_A, next)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(payWith(next)).isEqualTo(Code.ACCEPTED);
      assertThat(payWith(BANK_A)).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void aKeyAddedWithoutItsOwnSignatureIsKeyPossessionUnproven() {
      assertThat(code(net.instruction(net.addKey(net.id(), "bank-a", next), BANK_A)))
          .isEqualTo(Code.KEY_POSSESSION_UNPROVEN);
      assertThat(payWith(next)).isEqualTo(Code.SIGNER_UNKNOWN);
    }

    @Test
    void aKeyAddedWithoutACurrentKeyOfTheParticipantIsOwnerSignatureMissing() {
      assertThat(code(net.instruction(net.addKey(net.id(), "bank-a", next), next)))
          .isEqualTo(Code.OWNER_SIGNATURE_MISSING);
      assertThat(code(net.instruction(net.addKey(net.id(), "bank-a", next), BANK_B, next)))
          .isEqualTo(Code.OWNER_SIGNATURE_MISSING);
      assertThat(payWith(next)).isEqualTo(Code.SIGNER_UNKNOWN);
    }

    @Test
    void rotatingRetiresTheOldKey() {
      assertThat(
              code(
                  net.instruction(
                      net.rotateKey(net.id(), "bank-a", next, BANK_A.keyId()), BANK_A, next)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(payWith(BANK_A)).isEqualTo(Code.KEY_REVOKED);
      assertThat(payWith(next)).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void aParticipantRevokesItsOwnKeyWithAnotherCurrentKey() {
      code(net.instruction(net.addKey(net.id(), "bank-a", next), BANK_A, next));
      assertThat(code(net.instruction(net.revokeKey(net.id(), "bank-a", BANK_A.keyId()), next)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(payWith(BANK_A)).isEqualTo(Code.KEY_REVOKED);
      assertThat(payWith(next)).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void anotherParticipantCannotRevokeAKey() {
      assertThat(code(net.instruction(net.revokeKey(net.id(), "bank-a", BANK_A.keyId()), BANK_B)))
          .isEqualTo(Code.OWNER_SIGNATURE_MISSING);
      assertThat(payWith(BANK_A)).isEqualTo(Code.ACCEPTED);
    }

    @Test
    void aRegistrationNotSignedByTheKeyItRegistersIsKeyPossessionUnproven() {
      assertThat(
              code(
                  net.governanceSignedBy(
                      net.registerParticipant(net.id(), "bank-c", BANK_C),
                      List.of(ADMIN_1, ADMIN_2))))
          .isEqualTo(Code.KEY_POSSESSION_UNPROVEN);
      assertThat(engine.participant("bank-c")).isEmpty();
      assertThat(
              code(
                  net.governanceSignedBy(
                      net.registerParticipant(net.id(), "bank-c", BANK_C),
                      List.of(ADMIN_1, ADMIN_2, BANK_C))))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void aKeyProvingPossessionDoesNotCountAsAnAdministrator() {
      assertThat(
              code(
                  net.governanceSignedBy(
                      net.registerParticipant(net.id(), "bank-c", BANK_C),
                      List.of(ADMIN_1, BANK_C))))
          .isEqualTo(Code.GOVERNANCE_QUORUM_NOT_MET);
    }
  }

  @Nested
  class Governance {

    @Test
    void oneAdministratorIsNotEnough() {
      assertThat(code(net.governance(net.registerParticipant(net.id(), "bank-c", BANK_C), ADMIN_1)))
          .isEqualTo(Code.GOVERNANCE_QUORUM_NOT_MET);
      assertThat(engine.participant("bank-c")).isEmpty();
    }

    @Test
    void anApprovalByANonGovernanceKeyIsSignerUnknown() {
      assertThat(
              code(
                  net.governance(
                      net.registerParticipant(net.id(), "bank-c", BANK_C), ADMIN_1, BANK_A)))
          .isEqualTo(Code.SIGNER_UNKNOWN);
    }

    @Test
    void theSameAdministratorTwiceIsRefused() {
      assertThat(
              code(
                  net.governance(
                      net.registerParticipant(net.id(), "bank-c", BANK_C), ADMIN_1, ADMIN_1)))
          .isEqualTo(Code.SIGNER_DUPLICATE);
    }

    @Test
    void governanceSentAsAnInstructionIsMalformed() {
      assertThat(code(net.instruction(net.registerParticipant(net.id(), "bank-c", BANK_C), BANK_A)))
          .isEqualTo(Code.MALFORMED);
    }

    @Test
    void participantsAreRegisteredOnce() {
      assertThat(
              code(
                  net.governance(
                      net.registerParticipant(net.id(), "bank-a", BANK_C), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.PARTICIPANT_EXISTS);
    }

    @Test
    void aKeyBelongsToOneParticipant() {
      assertThat(
              code(
                  net.governance(
                      net.registerParticipant(net.id(), "bank-c", BANK_A), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.KEY_EXISTS);
      assertThat(code(net.governance(net.addKey(net.id(), "bank-b", BANK_A), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.KEY_EXISTS);
    }

    @Test
    void addingAKeyLetsItSignAndTheLimitHolds() {
      Engine small =
          new Engine(GENESIS, new Rules(16, 10_000, 3_600_000, 86_400_000, 86_400_000, 2), 0);
      TestNetwork n = new TestNetwork();
      small.execute(n.world());
      SigningKey second = TestNetwork.key("bank-a-2");
      assertThat(
              small
                  .execute(
                      List.of(n.governance(n.addKey(n.id(), "bank-a", second), ADMIN_1, ADMIN_2)))
                  .outcomes()
                  .get(0)
                  .code())
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              small
                  .execute(
                      List.of(
                          n.instruction(n.settle(n.id(), leg("a-eur", "b-eur", "EUR", 1)), second)))
                  .outcomes()
                  .get(0)
                  .code())
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              small
                  .execute(
                      List.of(n.governance(n.addKey(n.id(), "bank-a", BANK_C), ADMIN_1, ADMIN_2)))
                  .outcomes()
                  .get(0)
                  .code())
          .isEqualTo(Code.KEYS_TOO_MANY);
    }

    @Test
    void revokingNeedsAKeyOfThatParticipantNotYetRevoked() {
      assertThat(
              code(
                  net.governance(
                      net.revokeKey(net.id(), "bank-a", BANK_B.keyId()), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.KEY_UNKNOWN);
      assertThat(
              code(
                  net.governance(
                      net.revokeKey(net.id(), "bank-a", BANK_A.keyId()), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(
                  net.governance(
                      net.revokeKey(net.id(), "bank-a", BANK_A.keyId()), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.KEY_REVOKED);
      assertThat(
              code(
                  net.governance(
                      net.revokeKey(net.id(), "bank-z", BANK_A.keyId()), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.PARTICIPANT_UNKNOWN);
    }

    @Test
    void suspendedParticipantCanNeitherPayNorReceiveUntilReinstated() {
      assertThat(
              code(
                  net.governance(
                      net.participantChange(net.id(), "suspend-participant", "bank-b"),
                      ADMIN_1,
                      ADMIN_2)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(
                  net.governance(
                      net.participantChange(net.id(), "suspend-participant", "bank-b"),
                      ADMIN_1,
                      ADMIN_2)))
          .isEqualTo(Code.STATUS_UNCHANGED);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.PARTICIPANT_SUSPENDED);
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("b-bond", "a-bond", "BOND", 1)), BANK_B)))
          .isEqualTo(Code.PARTICIPANT_SUSPENDED);
      assertThat(
              code(net.instruction(net.openAccount(net.id(), "b-eur-2", "bank-b", "EUR"), BANK_B)))
          .isEqualTo(Code.PARTICIPANT_SUSPENDED);
      assertThat(
              code(
                  net.governance(
                      net.participantChange(net.id(), "reinstate-participant", "bank-b"),
                      ADMIN_1,
                      ADMIN_2)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(
                  net.governance(
                      net.participantChange(net.id(), "reinstate-participant", "bank-b"),
                      ADMIN_1,
                      ADMIN_2)))
          .isEqualTo(Code.STATUS_UNCHANGED);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void assetsAreRegisteredOnceByAKnownIssuer() {
      assertThat(
              code(
                  net.governance(
                      net.registerAsset(net.id(), "EUR", 2, "bank-b"), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.ASSET_EXISTS);
      assertThat(
              code(
                  net.governance(
                      net.registerAsset(net.id(), "USD", 2, "bank-z"), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.PARTICIPANT_UNKNOWN);
      assertThat(
              code(
                  net.governance(
                      net.registerAsset(net.id(), "USD", 2, "bank-b"), ADMIN_1, ADMIN_2)))
          .isEqualTo(Code.ACCEPTED);
    }
  }

  @Nested
  class Accounts {

    @Test
    void accountIsOpenedByItsOwnerOnce() {
      assertThat(
              code(net.instruction(net.openAccount(net.id(), "b-eur-2", "bank-b", "EUR"), BANK_A)))
          .isEqualTo(Code.OWNER_SIGNATURE_MISSING);
      assertThat(
              code(net.instruction(net.openAccount(net.id(), "b-eur-2", "bank-b", "EUR"), BANK_B)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(net.instruction(net.openAccount(net.id(), "b-eur-2", "bank-b", "EUR"), BANK_B)))
          .isEqualTo(Code.ACCOUNT_EXISTS);
    }

    @Test
    void accountNeedsAKnownOwnerAndAKnownAsset() {
      assertThat(code(net.instruction(net.openAccount(net.id(), "z-eur", "bank-z", "EUR"), BANK_A)))
          .isEqualTo(Code.PARTICIPANT_UNKNOWN);
      assertThat(code(net.instruction(net.openAccount(net.id(), "a-usd", "bank-a", "USD"), BANK_A)))
          .isEqualTo(Code.ASSET_UNKNOWN);
    }

    @Test
    void onlyTheIssuerOpensAnIssuanceAccount() {
      assertThat(
              code(
                  net.instruction(
                      net.openAccount(net.id(), "b-mint", "bank-b", "EUR", "issuance"), BANK_B)))
          .isEqualTo(Code.NOT_ISSUER);
    }

    @Test
    void issuanceAndOverdraftAccountsMayGoNegativeOthersNot() {
      assertThat(balance("a-issue")).isEqualTo(-1_000);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("b-eur", "a-eur", "EUR", 1)), BANK_B)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
      assertThat(
              code(
                  net.instruction(
                      net.openAccount(net.id(), "b-credit", "bank-b", "EUR", "overdraft"), BANK_B)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("b-credit", "a-eur", "EUR", 50)), BANK_B)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(balance("b-credit")).isEqualTo(-50);
    }
  }

  @Nested
  class Settlements {

    @Test
    void paymentWithinFundsMovesExactlyTheAmount() {
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1_000)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(balance("a-eur")).isZero();
      assertThat(balance("b-eur")).isEqualTo(1_000);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
    }

    @Test
    void unknownAccountsAndMismatchedAssetsAreRefused() {
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "z-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCOUNT_UNKNOWN);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-bond", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ASSET_MISMATCH);
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "USD", 1)), BANK_A)))
          .isEqualTo(Code.ASSET_UNKNOWN);
    }

    @Test
    void legMustMoveBetweenTwoAccounts() {
      assertThat(
              code(net.instruction(net.settle(net.id(), leg("a-eur", "a-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCOUNTS_MUST_BE_DIFFERENT);
    }

    @Test
    void amountsMustBePositiveIntegersWithin63Bits() {
      for (String amount : List.of("0", "-5", "1.5", "01", "9223372036854775808", "ten", "")) {
        TestNetwork.Leg leg = new TestNetwork.Leg("a-eur", "b-eur", "EUR", amount);
        assertThat(code(net.instruction(net.settle(net.id(), leg), BANK_A)))
            .as(amount)
            .isEqualTo(Code.AMOUNT_INVALID);
      }
      byte[] numeric =
          TestNetwork.json(
              j -> {
                j.member("id", net.id())
                    .member("kind", "settle")
                    .member("notAfter", net.notAfter());
                j.name("legs")
                    .beginArray()
                    .beginObject()
                    .member("debit", "a-eur")
                    .member("credit", "b-eur")
                    .member("asset", "EUR")
                    .member("amount", 5)
                    .endObject()
                    .endArray();
              });
      assertThat(code(net.instruction(numeric, BANK_A))).isEqualTo(Code.AMOUNT_INVALID);
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("a-eur", "b-eur", "EUR", Long.MAX_VALUE)), BANK_A)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
    }

    @Test
    void balancesThatWouldPassTwoToThe63AreRefusedNeverWrapped() {
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("a-issue", "b-eur", "EUR", Long.MAX_VALUE)),
                      BANK_A)))
          .isEqualTo(Code.AMOUNT_OVERFLOW); // a-issue has already issued 1,000
      assertThat(
              code(
                  net.instruction(
                      net.settle(net.id(), leg("a-issue", "b-eur", "EUR", Long.MAX_VALUE - 1_000)),
                      BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(
              code(
                  net.instruction(net.settle(net.id(), leg("a-issue", "a-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.AMOUNT_OVERFLOW);
      assertThat(engine.account("a-issue").orElseThrow().postedDebits()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tooManyLegsAreRefusedBeforeAnyIsLookedAt() {
      TestNetwork.Leg[] legs = new TestNetwork.Leg[Rules.DEFAULT.legsMax() + 1];
      java.util.Arrays.fill(legs, leg("a-eur", "b-eur", "EUR", 1));
      assertThat(code(net.instruction(net.settle(net.id(), legs), BANK_A)))
          .isEqualTo(Code.LEGS_TOO_MANY);
      TestNetwork.Leg[] max = java.util.Arrays.copyOf(legs, Rules.DEFAULT.legsMax());
      assertThat(code(net.instruction(net.settle(net.id(), max), BANK_A))).isEqualTo(Code.ACCEPTED);
      assertThat(balance("b-eur")).isEqualTo(Rules.DEFAULT.legsMax());
    }

    @Test
    void legsApplyAllOrNone() {
      TestNetwork.Leg cash = leg("a-eur", "b-eur", "EUR", 500);
      TestNetwork.Leg tooManyBonds = leg("b-bond", "a-bond", "BOND", 101);
      assertThat(code(net.instruction(net.settle(net.id(), cash, tooManyBonds), BANK_A, BANK_B)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
      assertThat(balance("a-eur")).isEqualTo(1_000);
      assertThat(balance("b-eur")).isZero();
    }

    @Test
    void legsApplyInOrderSoReceivedFundsCanBePassedOn() {
      TestNetwork.Leg in = leg("a-eur", "b-eur", "EUR", 300);
      TestNetwork.Leg on = leg("b-eur", "a-eur", "EUR", 300);
      assertThat(code(net.instruction(net.settle(net.id(), on, in), BANK_A, BANK_B)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
      assertThat(code(net.instruction(net.settle(net.id(), in, on), BANK_A, BANK_B)))
          .isEqualTo(Code.ACCEPTED);
    }
  }

  @Nested
  class Identity {

    @Test
    void resubmittedIdWithSameContentReturnsTheOriginalOutcome() {
      byte[] payload = net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 10));
      Outcome first = run(net.instruction(payload, BANK_A));
      Outcome again = run(net.instruction(payload, BANK_A));
      assertThat(again.code()).isEqualTo(Code.ACCEPTED);
      assertThat(again.originalOffset()).isEqualTo(first.offset());
      assertThat(balance("b-eur")).isEqualTo(10);
    }

    @Test
    void resubmittedRejectionReturnsTheOriginalRejection() {
      byte[] payload = net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 5_000));
      assertThat(code(net.instruction(payload, BANK_A))).isEqualTo(Code.INSUFFICIENT_FUNDS);
      Outcome again = run(net.instruction(payload, BANK_A));
      assertThat(again.code()).isEqualTo(Code.INSUFFICIENT_FUNDS);
      assertThat(again.isResubmission()).isTrue();
    }

    @Test
    void sameIdWithOtherContentIsAConflict() {
      String id = net.id();
      assertThat(code(net.instruction(net.settle(id, leg("a-eur", "b-eur", "EUR", 10)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(code(net.instruction(net.settle(id, leg("a-eur", "b-eur", "EUR", 11)), BANK_A)))
          .isEqualTo(Code.DUPLICATE_CONFLICT);
      assertThat(balance("b-eur")).isEqualTo(10);
    }

    @Test
    void instructionPastItsNotAfterIsExpired() {
      assertThat(
              code(
                  net.instruction(
                      TestNetwork.settle(net.id(), net.now - 1, leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.EXPIRED);
      assertThat(
              code(
                  net.instruction(
                      TestNetwork.settle(net.id(), net.now, leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void notAfterBeyondTheWindowIsRefused() {
      long edge = net.now + Rules.DEFAULT.instructionWindowMs();
      assertThat(
              code(
                  net.instruction(
                      TestNetwork.settle(net.id(), edge + 1, leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.NOT_AFTER_TOO_FAR);
      assertThat(
              code(
                  net.instruction(
                      TestNetwork.settle(net.id(), edge, leg("a-eur", "b-eur", "EUR", 1)), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void idsAreForgottenOnceTheirNotAfterHasPassed() {
      assertThat(engine.rememberedIdCount()).isEqualTo(12);
      net.now += 61_000;
      run(net.cut(engine.height() + 1));
      assertThat(engine.rememberedIdCount()).isZero();
    }

    @Test
    void logTimeNeverRunsBackwards() {
      net.now += 10_000;
      run(net.cut(engine.height() + 1));
      net.now -= 20_000; // the broker's clock jumped back
      LogRecord late =
          net.instruction(
              TestNetwork.settle(net.id(), net.now + 5_000, leg("a-eur", "b-eur", "EUR", 1)),
              BANK_A);
      assertThat(code(late)).isEqualTo(Code.EXPIRED);
      assertThat(engine.logTime()).isEqualTo(TestNetwork.T0 + 10_000);
    }
  }

  @Nested
  class Reservations {

    long expiry() {
      return net.now + 30_000;
    }

    @Test
    void reservationHoldsFundsAndCommitPostsThem() {
      String reservation = net.id();
      assertThat(
              code(
                  net.instruction(
                      net.reserve(
                          reservation, expiry(), List.of(), leg("a-eur", "b-eur", "EUR", 600)),
                      BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      AccountView held = engine.account("a-eur").orElseThrow();
      assertThat(held.pendingDebits()).isEqualTo(600);
      assertThat(held.available()).isEqualTo(400);
      assertThat(
              code(
                  net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 401)), BANK_A)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
      assertThat(code(net.instruction(net.close(net.id(), "commit", reservation), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(balance("a-eur")).isEqualTo(400);
      assertThat(balance("b-eur")).isEqualTo(600);
      assertThat(engine.account("b-eur").orElseThrow().pendingCredits()).isZero();
      assertThat(code(net.instruction(net.close(net.id(), "commit", reservation), BANK_A)))
          .isEqualTo(Code.RESERVATION_CLOSED);
    }

    @Test
    void cancelReleasesTheHold() {
      String reservation = net.id();
      run(
          net.instruction(
              net.reserve(reservation, expiry(), List.of(), leg("a-eur", "b-eur", "EUR", 600)),
              BANK_A));
      assertThat(code(net.instruction(net.close(net.id(), "cancel", reservation), BANK_A)))
          .isEqualTo(Code.ACCEPTED);
      assertThat(engine.account("a-eur").orElseThrow().available()).isEqualTo(1_000);
      assertThat(code(net.instruction(net.close(net.id(), "commit", reservation), BANK_A)))
          .isEqualTo(Code.RESERVATION_CLOSED);
    }

    @Test
    void logTimePassingTheExpiryReleasesTheHold() {
      String reservation = net.id();
      run(
          net.instruction(
              net.reserve(reservation, expiry(), List.of(), leg("a-eur", "b-eur", "EUR", 600)),
              BANK_A));
      net.now += 30_001;
      assertThat(code(net.instruction(net.close(net.id(), "commit", reservation), BANK_A)))
          .isEqualTo(Code.RESERVATION_CLOSED);
      assertThat(engine.account("a-eur").orElseThrow().pendingDebits()).isZero();
      assertThat(engine.account("b-eur").orElseThrow().pendingCredits()).isZero();
    }

    @Test
    void onlyControllersCommitOrCancel() {
      String reservation = net.id();
      run(
          net.instruction(
              net.reserve(
                  reservation, expiry(), List.of("bank-b"), leg("a-eur", "b-eur", "EUR", 600)),
              BANK_A));
      assertThat(code(net.instruction(net.close(net.id(), "cancel", reservation), BANK_A)))
          .isEqualTo(Code.NOT_AUTHORIZED);
      assertThat(code(net.instruction(net.close(net.id(), "commit", reservation), BANK_B)))
          .isEqualTo(Code.ACCEPTED);
    }

    @Test
    void unknownReservationsAndBadExpiriesAreRefused() {
      assertThat(code(net.instruction(net.close(net.id(), "commit", "nope"), BANK_A)))
          .isEqualTo(Code.RESERVATION_UNKNOWN);
      assertThat(
              code(
                  net.instruction(
                      net.reserve(net.id(), net.now, List.of(), leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.EXPIRY_INVALID);
      long tooLate = net.now + Rules.DEFAULT.reservationTtlMaxMs() + 1;
      assertThat(
              code(
                  net.instruction(
                      net.reserve(net.id(), tooLate, List.of(), leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.EXPIRY_INVALID);
      assertThat(
              code(
                  net.instruction(
                      net.reserve(
                          net.id(), expiry(), List.of("bank-z"), leg("a-eur", "b-eur", "EUR", 1)),
                      BANK_A)))
          .isEqualTo(Code.PARTICIPANT_UNKNOWN);
    }

    @Test
    void reservationBeyondFundsIsRefused() {
      assertThat(
              code(
                  net.instruction(
                      net.reserve(
                          net.id(), expiry(), List.of(), leg("a-eur", "b-eur", "EUR", 1_001)),
                      BANK_A)))
          .isEqualTo(Code.INSUFFICIENT_FUNDS);
    }
  }

  @Nested
  class Postings {

    @Test
    void aSettlementJournalsEachLegAndReportsTheAccountsItChanged() {
      String id = net.id();
      BlockResult block =
          engine.execute(
              List.of(
                  net.instruction(
                      net.settle(
                          id, leg("a-eur", "b-eur", "EUR", 30), leg("b-bond", "a-bond", "BOND", 2)),
                      BANK_A,
                      BANK_B)));
      assertThat(block.outcomes()).extracting(Outcome::code).containsExactly(Code.ACCEPTED);
      long offset = block.outcomes().get(0).offset();
      assertThat(block.postings())
          .containsExactly(
              new Posting(offset, id, Posting.Movement.SETTLED, null, "a-eur", "b-eur", "EUR", 30),
              new Posting(
                  offset, id, Posting.Movement.SETTLED, null, "b-bond", "a-bond", "BOND", 2));
      assertThat(block.changedAccounts())
          .containsExactlyInAnyOrder(
              engine.account("a-eur").orElseThrow(),
              engine.account("b-eur").orElseThrow(),
              engine.account("a-bond").orElseThrow(),
              engine.account("b-bond").orElseThrow());
    }

    @Test
    void aRejectedSettlementJournalsNothingAndChangesNoAccount() {
      BlockResult block =
          engine.execute(
              List.of(
                  net.instruction(
                      net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1_001)), BANK_A)));
      assertThat(block.outcomes())
          .extracting(Outcome::code)
          .containsExactly(Code.INSUFFICIENT_FUNDS);
      assertThat(block.postings()).isEmpty();
      assertThat(block.changedAccounts()).isEmpty();
    }

    @Test
    void reserveCommitAndExpiryAreJournalledWithTheirReservation() {
      String reservation = net.id();
      String other = net.id();
      String commit = net.id();
      long expiresAt = net.now + 30_000;
      BlockResult block =
          engine.execute(
              List.of(
                  net.instruction(
                      net.reserve(
                          reservation, expiresAt, List.of(), leg("a-eur", "b-eur", "EUR", 5)),
                      BANK_A),
                  net.instruction(
                      net.reserve(other, expiresAt, List.of(), leg("a-eur", "b-eur", "EUR", 7)),
                      BANK_A),
                  net.instruction(net.close(commit, "commit", reservation), BANK_A)));
      assertThat(block.postings())
          .extracting(Posting::movement, Posting::instructionId, Posting::reservation)
          .containsExactly(
              tuple(Posting.Movement.RESERVED, reservation, reservation),
              tuple(Posting.Movement.RESERVED, other, other),
              tuple(Posting.Movement.COMMITTED, commit, reservation));
      net.now += 30_001;
      BlockResult later =
          engine.execute(
              List.of(
                  net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A)));
      assertThat(later.postings())
          .extracting(Posting::movement, Posting::instructionId, Posting::reservation)
          .containsExactly(
              tuple(Posting.Movement.EXPIRED, null, other),
              tuple(Posting.Movement.SETTLED, later.outcomes().get(0).instructionId(), null));
    }
  }

  @Nested
  class Cuts {

    @Test
    void theFirstCutForTheBlockHeightCountsOthersAreIgnored() {
      long next = engine.height() + 1;
      BlockResult block = engine.execute(List.of(net.cut(next), net.cut(next), net.cut(next + 5)));
      assertThat(block.outcomes())
          .extracting(Outcome::code)
          .containsExactly(Code.ACCEPTED, Code.CUT_IGNORED, Code.CUT_IGNORED);
      assertThat(code(net.cut(next))).isEqualTo(Code.CUT_IGNORED);
    }
  }
}
