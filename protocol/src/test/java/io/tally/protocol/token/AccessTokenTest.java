package io.tally.protocol.token;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

  static final SigningKey BANK_A = Fixtures.key("bank-a");
  static final String AUDIENCE = AccessToken.gatewayAudience("tally-test");
  static final long NOW = 1_800_000_000L;
  static final Function<String, KeyResolver> DIRECTORY =
      participant ->
          participant.equals("bank-a")
              ? kid ->
                  kid.equals(BANK_A.keyId())
                      ? Optional.of(BANK_A.verificationKey())
                      : Optional.empty()
              : kid -> Optional.empty();
  static int tokens;

  static byte[] tokenId() {
    byte[] id = new byte[16];
    id[0] = (byte) ++tokens;
    return id;
  }

  static String token(Duration lifetime, long now) {
    return AccessToken.issue("bank-a", AUDIENCE, now, lifetime, tokenId(), BANK_A);
  }

  static String signedClaims(JwsType type, long issuedAt, long expiresAt) {
    byte[] claims =
        ("{\"iss\":\"bank-a\",\"sub\":\"bank-a\",\"aud\":\""
                + AUDIENCE
                + "\",\"iat\":"
                + issuedAt
                + ",\"exp\":"
                + expiresAt
                + ",\"jti\":\"x\"}")
            .getBytes(StandardCharsets.UTF_8);
    return CompactJws.sign(type, claims, BANK_A).serialize();
  }

  @Test
  void aTokenSignedByTheParticipantsKeyVerifies() throws Exception {
    AccessToken token =
        AccessToken.verify(token(Duration.ofMinutes(2), NOW), AUDIENCE, NOW + 60, DIRECTORY);
    assertThat(token.participant()).isEqualTo("bank-a");
    assertThat(token.expiresAt()).isEqualTo(NOW + 120);
    assertThat(token.tokenId()).isNotEmpty();
  }

  @Test
  void anExpiredTokenIsRefused() {
    assertReason(
        () -> AccessToken.verify(token(Duration.ofMinutes(1), NOW), AUDIENCE, NOW + 91, DIRECTORY),
        Reason.TOKEN_EXPIRED);
  }

  @Test
  void aTokenFromTheFutureIsRefused() {
    assertReason(
        () -> AccessToken.verify(token(Duration.ofMinutes(1), NOW + 600), AUDIENCE, NOW, DIRECTORY),
        Reason.TOKEN_NOT_YET_VALID);
  }

  @Test
  void aTokenIssuedFurtherAheadThanTheClockSkewIsRefusedEvenIfItExpiresSoon() {
    long ahead = AccessToken.CLOCK_SKEW.toSeconds() + 1;
    String fromTheFuture = signedClaims(JwsType.ACCESS_TOKEN, NOW + ahead, NOW + ahead + 1);
    assertReason(
        () -> AccessToken.verify(fromTheFuture, AUDIENCE, NOW, DIRECTORY),
        Reason.TOKEN_NOT_YET_VALID);
  }

  @Test
  void aTokenIssuedAheadWithinTheClockSkewVerifies() throws Exception {
    long ahead = AccessToken.CLOCK_SKEW.toSeconds() - 1;
    AccessToken token =
        AccessToken.verify(token(Duration.ofMinutes(1), NOW + ahead), AUDIENCE, NOW, DIRECTORY);
    assertThat(token.issuedAt()).isEqualTo(NOW + ahead);
  }

  @Test
  void aLifetimeThatOverflowsALongIsNotAccepted() {
    String endless = signedClaims(JwsType.ACCESS_TOKEN, -200, Long.MAX_VALUE - 100);
    assertReason(
        () -> AccessToken.verify(endless, AUDIENCE, NOW, DIRECTORY), Reason.TOKEN_NOT_ACCEPTED);
  }

  @Test
  void aTokenThatExpiresBeforeItIsIssuedIsRefused() {
    String backwards = signedClaims(JwsType.ACCESS_TOKEN, NOW, NOW - 10);
    assertReason(
        () -> AccessToken.verify(backwards, AUDIENCE, NOW, DIRECTORY), Reason.TOKEN_WINDOW_INVALID);
  }

  @Test
  void aTokenThatExpiresWhenItIsIssuedIsRefusedAndNeverIssued() {
    String empty = signedClaims(JwsType.ACCESS_TOKEN, NOW, NOW);
    assertReason(
        () -> AccessToken.verify(empty, AUDIENCE, NOW, DIRECTORY), Reason.TOKEN_WINDOW_INVALID);
    assertThatThrownBy(() -> token(Duration.ZERO, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherAudienceIsRefused() {
    assertReason(
        () ->
            AccessToken.verify(
                token(Duration.ofMinutes(1), NOW),
                AccessToken.gatewayAudience("other"),
                NOW,
                DIRECTORY),
        Reason.TOKEN_NOT_ACCEPTED);
  }

  @Test
  void aLifetimeBeyondFiveMinutesIsNeitherIssuedNorAccepted() {
    assertThatThrownBy(() -> token(Duration.ofMinutes(6), NOW))
        .isInstanceOf(IllegalArgumentException.class);
    String longLived = signedClaims(JwsType.ACCESS_TOKEN, NOW, NOW + 3600);
    assertReason(
        () -> AccessToken.verify(longLived, AUDIENCE, NOW, DIRECTORY), Reason.TOKEN_NOT_ACCEPTED);
  }

  @Test
  void aKeyOfAnotherParticipantIsUnknown() {
    String byOther =
        AccessToken.issue(
            "bank-a", AUDIENCE, NOW, Duration.ofMinutes(1), tokenId(), Fixtures.key("bank-b"));
    assertReason(
        () -> AccessToken.verify(byOther, AUDIENCE, NOW, DIRECTORY), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void anotherSignedObjectDoesNotPassAsAToken() {
    String envelope = signedClaims(JwsType.ENVELOPE, NOW, NOW + 60);
    assertReason(
        () -> AccessToken.verify(envelope, AUDIENCE, NOW, DIRECTORY), Reason.TYPE_MISMATCH);
  }

  @Test
  void garbageIsMalformed() {
    assertReason(() -> AccessToken.verify("a.b.c", AUDIENCE, NOW, DIRECTORY), Reason.MALFORMED);
    assertReason(() -> AccessToken.verify("", AUDIENCE, NOW, DIRECTORY), Reason.MALFORMED);
  }
}
