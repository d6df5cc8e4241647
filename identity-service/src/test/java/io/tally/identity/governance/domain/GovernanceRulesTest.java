package io.tally.identity.governance.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GovernanceRulesTest {

  final TestNetwork net = new TestNetwork();
  final byte[] registration = net.registerParticipant("r-1", "bank-c", TestNetwork.BANK_C);
  final String payload = Base64Url.encode(registration);

  static String sign(byte[] payload, SigningKey key) {
    return CompactJws.sign(JwsType.GOVERNANCE, payload, key).serialize();
  }

  Refusal.Reason refusal(ThrowingCall call) {
    try {
      call.run();
    } catch (Refusal e) {
      return e.reason();
    }
    throw new AssertionError("not refused");
  }

  interface ThrowingCall {
    void run() throws Refusal;
  }

  @Test
  void aRegistrationSignedByItsKeyIsAccepted() throws Refusal {
    GovernanceRules.CheckedProposal checked =
        GovernanceRules.checkProposal(
            payload, List.of(sign(registration, TestNetwork.BANK_C)), Rules.DEFAULT);
    assertThat(checked.content().id()).isEqualTo("r-1");
    assertThat(checked.content().kind()).isEqualTo("register-participant");
  }

  @Test
  void aRegistrationWithoutItsKeysSignatureIsKeyPossessionUnproven() {
    assertThat(refusal(() -> GovernanceRules.checkProposal(payload, List.of(), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.KEY_POSSESSION_UNPROVEN);
    assertThat(
            refusal(
                () ->
                    GovernanceRules.checkProposal(
                        payload, List.of(sign(registration, TestNetwork.BANK_A)), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.KEY_POSSESSION_UNPROVEN);
  }

  @Test
  void aProofOverOtherBytesIsSignatureInvalid() {
    byte[] other = net.registerParticipant("r-2", "bank-c", TestNetwork.BANK_C);
    assertThat(
            refusal(
                () ->
                    GovernanceRules.checkProposal(
                        payload, List.of(sign(other, TestNetwork.BANK_C)), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.SIGNATURE_INVALID);
  }

  @Test
  void payloadsTheNetworkWouldRefuseAreMalformed() {
    String notJson = Base64Url.encode("{".getBytes(StandardCharsets.UTF_8));
    assertThat(refusal(() -> GovernanceRules.checkProposal(notJson, List.of(), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.MALFORMED);
    assertThat(refusal(() -> GovernanceRules.checkProposal("%%", List.of(), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.MALFORMED);
    String instruction = Base64Url.encode(net.settle("s-1", TestNetwork.leg("a", "b", "EUR", 1)));
    assertThat(refusal(() -> GovernanceRules.checkProposal(instruction, List.of(), Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.MALFORMED);
  }

  @Test
  void approvalsNameTheirAdministratorAndOthersAreRefused() throws Refusal {
    assertThat(
            GovernanceRules.checkApproval(
                payload, sign(registration, TestNetwork.ADMIN_2), TestNetwork.GENESIS.governance()))
        .isEqualTo("admin-2");
    assertThat(
            refusal(
                () ->
                    GovernanceRules.checkApproval(
                        payload,
                        sign(registration, TestNetwork.BANK_A),
                        TestNetwork.GENESIS.governance())))
        .isEqualTo(Refusal.Reason.NOT_AN_ADMINISTRATOR);
    assertThat(
            refusal(
                () ->
                    GovernanceRules.checkApproval(
                        payload, "not.a.jws", TestNetwork.GENESIS.governance())))
        .isEqualTo(Refusal.Reason.MALFORMED);
  }

  @Test
  void theEntryCarriesEveryProofAndApproval() throws Exception {
    byte[] entry =
        GovernanceRules.entry(
            List.of(sign(registration, TestNetwork.BANK_C)),
            List.of(
                sign(registration, TestNetwork.ADMIN_1), sign(registration, TestNetwork.ADMIN_2)));
    GeneralJws jws = GeneralJws.parse(entry);
    assertThat(jws.signatureCount()).isEqualTo(3);
    assertThat(jws.unverifiedPayload()).isEqualTo(registration);
    assertThatThrownBy(() -> GovernanceRules.entry(List.of("x"), List.of()))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aNotAfterFromNowToTheEndOfTheGovernanceWindowIsWithinIt() throws Refusal {
    long now = TestNetwork.T0;
    long window = Rules.DEFAULT.governanceWindowMs();
    GovernanceRules.checkWindow(now, now, Rules.DEFAULT);
    GovernanceRules.checkWindow(now + window, now, Rules.DEFAULT);
  }

  @Test
  void aNotAfterThatHasPassedIsExpiredAsTheEngineWouldSay() {
    long now = TestNetwork.T0;
    assertThat(refusal(() -> GovernanceRules.checkWindow(now - 1, now, Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.EXPIRED);
  }

  @Test
  void aNotAfterBeyondTheGovernanceWindowIsTooFarAsTheEngineWouldSay() {
    long now = TestNetwork.T0;
    long window = Rules.DEFAULT.governanceWindowMs();
    assertThat(refusal(() -> GovernanceRules.checkWindow(now + window + 1, now, Rules.DEFAULT)))
        .isEqualTo(Refusal.Reason.NOT_AFTER_TOO_FAR);
  }
}
