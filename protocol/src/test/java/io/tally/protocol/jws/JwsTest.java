package io.tally.protocol.jws;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwsTest {

  static final SigningKey ALICE = Fixtures.key("alice");
  static final SigningKey BOB = Fixtures.key("bob");
  static final KeyResolver TRUSTED =
      kid ->
          kid.equals(ALICE.keyId())
              ? Optional.of(ALICE.verificationKey())
              : kid.equals(BOB.keyId()) ? Optional.of(BOB.verificationKey()) : Optional.empty();
  static final byte[] PAYLOAD = "{\"id\":\"s-1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void compactJwsVerifiesForItsKindAndSigner() throws Exception {
    CompactJws jws = CompactJws.sign(JwsType.ENVELOPE, PAYLOAD, ALICE);

    VerifiedJws verified = CompactJws.parse(jws.toBytes()).verify(JwsType.ENVELOPE, TRUSTED);

    assertThat(verified.payload()).isEqualTo(PAYLOAD);
    assertThat(verified.signers()).containsExactly(ALICE.verificationKey());
  }

  @Test
  void signatureMadeForOneKindNeverVerifiesAsAnother() throws Exception {
    CompactJws vote = CompactJws.sign(JwsType.BLOCK_HEADER, PAYLOAD, ALICE);

    assertReason(() -> vote.verify(JwsType.ENVELOPE, TRUSTED), Reason.TYPE_MISMATCH);
    GeneralJws instruction = GeneralJws.sign(JwsType.INSTRUCTION, PAYLOAD, List.of(ALICE));
    assertReason(() -> instruction.verify(JwsType.GOVERNANCE, TRUSTED), Reason.TYPE_MISMATCH);
  }

  @Test
  void algNoneAndOtherAlgorithmsAreRefused() {
    for (String alg : List.of("none", "HS256", "ES256", "RS256", "eddsa")) {
      String header =
          Base64Url.encode(
              ("{\"alg\":\"" + alg + "\",\"kid\":\"k\"}").getBytes(StandardCharsets.UTF_8));
      String jws = header + "." + Base64Url.encode(PAYLOAD) + "." + "A".repeat(86);
      assertReason(() -> CompactJws.parse(jws), Reason.ALGORITHM_UNSUPPORTED);
    }
  }

  @Test
  void algNoneWithAnEmptySignatureIsMalformed() {
    String header = Base64Url.encode("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    assertReason(
        () -> CompactJws.parse(header + "." + Base64Url.encode(PAYLOAD) + "."), Reason.MALFORMED);
  }

  @Test
  void critAndUnknownHeaderParametersAreRefused() {
    assertReason(
        () -> ProtectedHeader.read(bytes("{\"alg\":\"EdDSA\",\"crit\":[\"exp\"],\"exp\":1}")),
        Reason.CRITICAL_HEADER_UNSUPPORTED);
    assertReason(
        () -> ProtectedHeader.read(bytes("{\"alg\":\"EdDSA\",\"jku\":\"https://x\"}")),
        Reason.HEADER_PARAMETER_UNSUPPORTED);
    assertReason(
        () -> ProtectedHeader.read(bytes("{\"alg\":\"EdDSA\",\"alg\":\"none\"}")),
        Reason.MALFORMED);
    assertReason(() -> ProtectedHeader.read(bytes("{\"kid\":\"k\"}")), Reason.MALFORMED);
  }

  @Test
  void missingKidOrUnknownSignerIsRefused() throws Exception {
    CompactJws noKid =
        CompactJws.sign(
            new ProtectedHeader(Optional.empty(), Optional.of(JwsType.ENVELOPE.headerValue())),
            PAYLOAD,
            ALICE);
    CompactJws stranger = CompactJws.sign(JwsType.ENVELOPE, PAYLOAD, Fixtures.key("mallory"));

    assertReason(() -> noKid.verify(JwsType.ENVELOPE, TRUSTED), Reason.KEY_ID_MISSING);
    assertReason(() -> stranger.verify(JwsType.ENVELOPE, TRUSTED), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void signatureByAnotherTrustedKeyUnderAliceKidIsInvalid() throws Exception {
    CompactJws byBob =
        CompactJws.sign(ProtectedHeader.of(ALICE.keyId(), JwsType.ENVELOPE), PAYLOAD, BOB);

    assertReason(() -> byBob.verify(JwsType.ENVELOPE, TRUSTED), Reason.SIGNATURE_INVALID);
  }

  @Test
  void generalJwsWithSeveralSignersVerifiesAndCoSigningKeepsEarlierSignatures() throws Exception {
    GeneralJws one = GeneralJws.sign(JwsType.INSTRUCTION, PAYLOAD, List.of(ALICE));
    GeneralJws both = GeneralJws.parse(one.toBytes()).withSignature(JwsType.INSTRUCTION, BOB);

    VerifiedJws verified = GeneralJws.parse(both.toBytes()).verify(JwsType.INSTRUCTION, TRUSTED);

    assertThat(verified.signers()).containsExactly(ALICE.verificationKey(), BOB.verificationKey());
    assertThat(new String(both.toBytes(), StandardCharsets.UTF_8))
        .contains(new String(one.toBytes(), StandardCharsets.UTF_8).substring(0, 60));
  }

  @Test
  void aSecondSignatureBySameKeyIsRefusedNotCountedTwice() {
    GeneralJws twice = GeneralJws.sign(JwsType.INSTRUCTION, PAYLOAD, List.of(ALICE, BOB, ALICE));

    assertReason(() -> twice.verify(JwsType.INSTRUCTION, TRUSTED), Reason.SIGNER_DUPLICATE);
  }

  @Test
  void aSecondKidResolvingToTheSameKeyIsRefused() {
    KeyResolver aliasing = kid -> Optional.of(ALICE.verificationKey());
    GeneralJws jws =
        GeneralJws.combine(
            List.of(
                CompactJws.sign(ProtectedHeader.of("alias-1", JwsType.INSTRUCTION), PAYLOAD, ALICE),
                CompactJws.sign(
                    ProtectedHeader.of("alias-2", JwsType.INSTRUCTION), PAYLOAD, ALICE)));

    assertReason(() -> jws.verify(JwsType.INSTRUCTION, aliasing), Reason.SIGNER_DUPLICATE);
  }

  @Test
  void oneBadSignatureRefusesTheWholeObject() throws Exception {
    GeneralJws good = GeneralJws.sign(JwsType.INSTRUCTION, PAYLOAD, List.of(ALICE, BOB));
    String json = new String(good.toBytes(), StandardCharsets.UTF_8);
    String bobSignature = Base64Url.encode(BOB.sign(new byte[] {1}));
    int last = json.lastIndexOf("\"signature\":\"") + 13;
    String tampered = json.substring(0, last) + bobSignature + json.substring(last + 86);

    assertReason(
        () -> GeneralJws.parse(bytes(tampered)).verify(JwsType.INSTRUCTION, TRUSTED),
        Reason.SIGNATURE_INVALID);
  }

  @Test
  void unprotectedHeadersAndFlattenedSerializationAreRefused() {
    String header =
        Base64Url.encode(ProtectedHeader.of(ALICE.keyId(), JwsType.INSTRUCTION).toJson());
    String sig = "A".repeat(86);
    String payload = Base64Url.encode(PAYLOAD);
    assertReason(
        () ->
            GeneralJws.parse(
                bytes(
                    "{\"payload\":\""
                        + payload
                        + "\",\"signatures\":[{\"protected\":\""
                        + header
                        + "\",\"header\":{\"kid\":\"x\"},\"signature\":\""
                        + sig
                        + "\"}]}")),
        Reason.UNPROTECTED_HEADER);
    assertReason(
        () ->
            GeneralJws.parse(
                bytes(
                    "{\"payload\":\""
                        + payload
                        + "\",\"protected\":\""
                        + header
                        + "\",\"signature\":\""
                        + sig
                        + "\"}")),
        Reason.MALFORMED);
    assertReason(
        () -> GeneralJws.parse(bytes("{\"payload\":\"" + payload + "\",\"signatures\":[]}")),
        Reason.MALFORMED);
  }

  @Test
  void sizeAndSignatureCountLimitsAreCheckedFirst() {
    assertReason(() -> CompactJws.parse(new byte[Limits.JWS_BYTES_MAX + 1]), Reason.TOO_LARGE);
    assertReason(() -> GeneralJws.parse(new byte[Limits.JWS_BYTES_MAX + 1]), Reason.TOO_LARGE);
    String bigHeader = Base64Url.encode(new byte[Limits.PROTECTED_HEADER_BYTES_MAX + 1]);
    assertReason(() -> CompactJws.parse(bigHeader + ".e30." + "A".repeat(86)), Reason.TOO_LARGE);

    List<String> entries = new ArrayList<>();
    String header =
        Base64Url.encode(ProtectedHeader.of(ALICE.keyId(), JwsType.INSTRUCTION).toJson());
    for (int i = 0; i <= Limits.JWS_SIGNATURES_MAX; i++) {
      entries.add("{\"protected\":\"" + header + "\",\"signature\":\"" + "A".repeat(86) + "\"}");
    }
    String tooMany = "{\"payload\":\"e30\",\"signatures\":[" + String.join(",", entries) + "]}";
    assertReason(() -> GeneralJws.parse(bytes(tooMany)), Reason.SIGNATURES_TOO_MANY);
  }

  @Test
  void nonCanonicalBase64AndWrongShapesAreMalformed() throws Exception {
    String jws = CompactJws.sign(JwsType.ENVELOPE, PAYLOAD, ALICE).serialize();
    String[] parts = jws.split("\\.", -1);

    assertReason(() -> CompactJws.parse(jws + "="), Reason.MALFORMED);
    assertReason(() -> CompactJws.parse(parts[0] + "." + parts[1]), Reason.MALFORMED);
    assertReason(() -> CompactJws.parse(jws + ".x"), Reason.MALFORMED);
    assertReason(
        () -> CompactJws.parse(parts[0] + "=." + parts[1] + "." + parts[2]), Reason.MALFORMED);
    assertReason(
        () -> CompactJws.parse(parts[0] + "." + parts[1] + "+." + parts[2]), Reason.MALFORMED);
    // The last signature character carries two unused bits; setting one is a second encoding.
    char last = parts[2].charAt(85);
    String unusedBit = parts[2].substring(0, 85) + (char) (last + 1);
    assertReason(
        () -> CompactJws.parse(parts[0] + "." + parts[1] + "." + unusedBit), Reason.MALFORMED);
    assertReason(() -> GeneralJws.parse(bytes("[1,2]")), Reason.MALFORMED);
    assertReason(() -> GeneralJws.parse(bytes("{\"payload\":\"e30\"")), Reason.MALFORMED);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
