package io.tally.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hex;
import io.tally.protocol.codec.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {

  @TempDir Path dir;

  @Test
  void privateKeyFileRoundTripsAndIsReadableByItsOwnerOnly() throws Exception {
    SigningKey key = SigningKey.generate(new SecureRandom());
    Path file = dir.resolve("validator.key");

    PrivateKeyFile.write(key, file);
    SigningKey read = PrivateKeyFile.read(file);

    assertThat(read.verificationKey()).isEqualTo(key.verificationKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2Vw");
  }

  @Test
  void privateKeyFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("k.key");
    PrivateKeyFile.write(Fixtures.key("a"), file);

    assertThatThrownBy(() -> PrivateKeyFile.write(Fixtures.key("b"), file))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(PrivateKeyFile.read(file).keyId()).isEqualTo(Fixtures.key("a").keyId());
  }

  @Test
  void rfc8410ExamplePrivateKeyLoads() throws Exception {
    // RFC 8410 section 10.3, the example Ed25519 private key in PKCS#8 PEM.
    Path file = dir.resolve("rfc8410.pem");
    Files.writeString(
        file,
        """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """);

    SigningKey key = PrivateKeyFile.read(file);

    // The seed is the last 32 DER bytes, d4ee72db...
    byte[] message = "m".getBytes(StandardCharsets.UTF_8);
    key.verificationKey().verify(message, key.sign(message));
    assertThat(key.toString()).doesNotContain("d4ee72db").contains(key.keyId());
  }

  @Test
  void otherKeyFilesAreRefusedWithoutEchoingTheirContent() throws IOException {
    Path rsa = dir.resolve("rsa.pem");
    Files.writeString(
        rsa,
        "-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAAS\n-----END PRIVATE KEY-----\n");
    Path text = dir.resolve("text.pem");
    Files.writeString(text, "secret-material");

    assertThatThrownBy(() -> PrivateKeyFile.read(rsa))
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining("MIIBVAIBADANBgkqhkiG9w0BAQEFAAS");
    assertThatThrownBy(() -> PrivateKeyFile.read(text))
        .isInstanceOf(IOException.class)
        .hasMessageNotContaining("secret-material");
  }

  @Test
  void signingKeyNeverPrintsItsSeedAndCannotSignOnceDestroyed() {
    byte[] seed = new byte[32];
    seed[0] = 0x5a;
    SigningKey key = SigningKey.fromSeed(seed);

    assertThat(key.toString()).doesNotContain(Hex.encode(seed)).contains("secret not shown");
    key.destroy();
    assertThatThrownBy(() -> key.sign(new byte[1])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void jwksRoundTripsAndFindsKeysById() throws Exception {
    Jwks jwks = new Jwks(java.util.List.of(Fixtures.key("a").verificationKey().toJwk()));

    Jwks read = Jwks.read(jwks.toJson().getBytes(StandardCharsets.UTF_8));

    assertThat(read).isEqualTo(jwks);
    assertThat(read.find(Fixtures.key("a").keyId())).contains(Fixtures.key("a").verificationKey());
    assertThat(read.find(Fixtures.key("b").keyId())).isEmpty();
  }

  @Test
  void jwkWithPrivatePartWrongCurveOrWrongKidIsRefused() {
    String x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    assertJwkRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
            + x
            + "\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}",
        Reason.MALFORMED);
    assertJwkRefused(
        "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"" + x + "\"}", Reason.KEY_INVALID);
    assertJwkRefused(
        "{\"kty\":\"EC\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\"}", Reason.KEY_INVALID);
    assertJwkRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"other\"}",
        Reason.MALFORMED);
    assertJwkRefused(
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"alg\":\"ES256\"}",
        Reason.ALGORITHM_UNSUPPORTED);
    assertJwkRefused("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AAAA\"}", Reason.KEY_INVALID);
  }

  private static void assertJwkRefused(String json, Reason reason) {
    assertThatThrownBy(
            () ->
                Jwk.read(
                    JsonReader.parseObject(
                        json.getBytes(StandardCharsets.UTF_8),
                        io.tally.protocol.Limits.JSON_DEPTH_MAX)))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
