package io.tally.client;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.keys.SigningKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client builds is what the engine accepts: every kind, run through a real engine. */
class BuildersAgainstTheEngineTest {

  /** A second epoch of identity-1: the world used the first. */
  final EnvelopeWriter identity =
      new EnvelopeWriter("identity-1", TestNetwork.LOG, 2, TestNetwork.IDENTITY);

  TestNetwork net;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    engine = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    assertThat(engine.execute(net.world()).outcomes())
        .extracting(Outcome::code)
        .containsOnly(Code.ACCEPTED);
  }

  Code run(SignedInstruction instruction) {
    LogRecord record = net.gatewayRecord(EnvelopeType.INSTRUCTION, instruction.toBytes());
    return engine.execute(List.of(record)).outcomes().get(0).code();
  }

  Code run(GovernanceChange change, SigningKey... signers) {
    List<CompactJws> parts = new ArrayList<>();
    for (SigningKey signer : signers) {
      parts.add(change.approval(signer));
    }
    LogRecord record =
        net.record(identity.next(EnvelopeType.GOVERNANCE, GeneralJws.combine(parts).toBytes()));
    return engine.execute(List.of(record)).outcomes().get(0).code();
  }

  @Test
  void aSettlementSignedByTwoPartiesInTurnIsAccepted() throws Exception {
    SignedInstruction first =
        Instruction.settle(
                "dvp-1",
                net.notAfter(),
                List.of(
                    Leg.of("a-eur", "b-eur", "EUR", 300), Leg.of("b-bond", "a-bond", "BOND", 3)))
            .sign(List.of(BANK_A));
    // The second party receives bytes, adds its signature, passes the bytes on.
    SignedInstruction both = SignedInstruction.parse(first.toBytes()).withSignature(BANK_B);

    assertThat(both.id()).isEqualTo("dvp-1");
    assertThat(both.signerKeyIds()).containsExactly(BANK_A.keyId(), BANK_B.keyId());
    List<Leg> dvp =
        List.of(Leg.of("a-eur", "b-eur", "EUR", 300), Leg.of("b-bond", "a-bond", "BOND", 3));
    assertThat(run(Instruction.settle("dvp-0", net.notAfter(), dvp).sign(List.of(BANK_A))))
        .isEqualTo(Code.DEBTOR_SIGNATURE_MISSING);
    assertThat(run(SignedInstruction.parse(both.toBytes()))).isEqualTo(Code.ACCEPTED);
    assertThat(engine.account("a-bond").orElseThrow().postedBalance()).isEqualTo(3);
  }

  @Test
  void openAccountReserveCommitAndCancelAreAccepted() {
    assertThat(
            run(
                Instruction.openAccount("o-1", net.notAfter(), "a-eur-2", "bank-a", "EUR", Set.of())
                    .sign(List.of(BANK_A))))
        .isEqualTo(Code.ACCEPTED);
    List<Leg> legs = List.of(Leg.of("a-eur", "a-eur-2", "EUR", 10));
    long expires = net.now + 30_000;
    assertThat(
            run(
                Instruction.reserve("r-1", net.notAfter(), legs, expires, List.of())
                    .sign(List.of(BANK_A))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(run(Instruction.commit("c-1", net.notAfter(), "r-1").sign(List.of(BANK_A))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                Instruction.reserve("r-2", net.notAfter(), legs, expires, List.of("bank-b"))
                    .sign(List.of(BANK_A))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(run(Instruction.cancel("x-2", net.notAfter(), "r-2").sign(List.of(BANK_B))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(engine.account("a-eur-2").orElseThrow().postedBalance()).isEqualTo(10);
  }

  @Test
  void keyChangesByTheParticipantAreAccepted() {
    SigningKey second = TestNetwork.key("bank-a-second");
    SigningKey third = TestNetwork.key("bank-a-third");
    assertThat(
            run(
                Instruction.addKey("k-1", net.notAfter(), "bank-a", second.verificationKey())
                    .sign(List.of(BANK_A, second))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                Instruction.rotateKey(
                        "k-2", net.notAfter(), "bank-a", third.verificationKey(), second.keyId())
                    .sign(List.of(BANK_A, third))))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                Instruction.revokeKey("k-3", net.notAfter(), "bank-a", third.keyId())
                    .sign(List.of(BANK_A))))
        .isEqualTo(Code.ACCEPTED);
  }

  @Test
  void governanceChangesApprovedByTwoAdministratorsAreAccepted() {
    SigningKey bankC = TestNetwork.key("bank-c");
    GovernanceChange register =
        GovernanceChange.registerParticipant(
            "g-1", net.notAfter(), "bank-c", "Bank C", List.of(bankC.verificationKey()));
    assertThat(run(register, TestNetwork.ADMIN_1, TestNetwork.ADMIN_2, bankC))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                GovernanceChange.registerAsset("g-2", net.notAfter(), "GBP", 2, "bank-c"),
                TestNetwork.ADMIN_1,
                TestNetwork.ADMIN_3))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                GovernanceChange.suspendParticipant("g-3", net.notAfter(), "bank-c"),
                TestNetwork.ADMIN_1,
                TestNetwork.ADMIN_3))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                GovernanceChange.reinstateParticipant("g-4", net.notAfter(), "bank-c"),
                TestNetwork.ADMIN_2,
                TestNetwork.ADMIN_3))
        .isEqualTo(Code.ACCEPTED);
    assertThat(
            run(
                GovernanceChange.revokeKey("g-5", net.notAfter(), "bank-c", bankC.keyId()),
                TestNetwork.ADMIN_2,
                TestNetwork.ADMIN_3))
        .isEqualTo(Code.ACCEPTED);
  }
}
