package io.tally.protocol.jws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 8037 appendix A (A.1 to A.4), byte for byte. */
class Rfc8037VectorsTest {

  // A.1: the private key; A.2: its public key.
  private static final String D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
  private static final String X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  // A.3: the RFC 7638 thumbprint of the A.2 key.
  private static final String THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
  // A.4: the JWS of "Example of Ed25519 signing" under {"alg":"EdDSA"}.
  private static final String JWS =
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
          + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

  @Test
  void privateKeyOfA1DerivesThePublicKeyOfA2() {
    SigningKey key = SigningKey.fromSeed(Base64Url.decode(D));

    assertThat(Base64Url.encode(key.verificationKey().toBytes())).isEqualTo(X);
  }

  @Test
  void publicJwkOfA2ReadsAndHasTheThumbprintOfA3() throws Exception {
    String a2 = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + X + "\"}";

    Jwk jwk = Jwk.read(JsonReader.parseObject(a2.getBytes(StandardCharsets.UTF_8), 2));

    assertThat(jwk.keyId()).isEqualTo(THUMBPRINT);
    assertThat(Base64Url.encode(jwk.key().toBytes())).isEqualTo(X);
    assertThat(Jwk.read(JsonReader.parseObject(jwk.toJson().getBytes(StandardCharsets.UTF_8), 2)))
        .isEqualTo(jwk);
  }

  @Test
  void signingTheA4PayloadGivesTheA4JwsByteForByte() {
    SigningKey key = SigningKey.fromSeed(Base64Url.decode(D));
    byte[] payload = "Example of Ed25519 signing".getBytes(StandardCharsets.UTF_8);

    CompactJws jws =
        CompactJws.sign(new ProtectedHeader(Optional.empty(), Optional.empty()), payload, key);

    assertThat(jws.serialize()).isEqualTo(JWS);
  }

  @Test
  void theA4JwsVerifiesWithTheA2Key() throws Exception {
    CompactJws jws = CompactJws.parse(JWS);
    VerificationKey key = VerificationKey.of(Base64Url.decode(X));

    assertThat(jws.header().keyId()).isEmpty();
    assertThat(new String(jws.unverifiedPayload(), StandardCharsets.UTF_8))
        .isEqualTo("Example of Ed25519 signing");
    key.verify(jws.signingInput(), jws.signature());
  }
}
