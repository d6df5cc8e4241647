package io.tally.protocol.token;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.SigningKey;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * A short-lived access token in the {@code private_key_jwt} style (RFC 7523 section 2.2): a JWT
 * (compact JWS, {@code typ tally-access+jwt}, EdDSA) that a participant signs with one of its own
 * directory keys. Claims: {@code iss} and {@code sub} (both the participant id), {@code aud} (the
 * gateway audience), {@code iat} and {@code exp} (seconds since the epoch; at most {@link
 * #LIFETIME_MAX} apart) and {@code jti} (unique per token; a verifier refuses a replayed one).
 *
 * @param participant the participant the token speaks for
 * @param audience the audience it was issued for
 * @param issuedAt seconds since the epoch
 * @param expiresAt seconds since the epoch
 * @param tokenId the token's unique id
 */
public record AccessToken(
    String participant, String audience, long issuedAt, long expiresAt, String tokenId) {

  /** The longest lifetime a token may claim. */
  public static final Duration LIFETIME_MAX = Duration.ofMinutes(5);

  /** Clock difference tolerated between the issuer and the verifier. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private static final int TOKEN_BYTES_MAX = 4 * 1024;
  private static final Set<String> CLAIMS = Set.of("iss", "sub", "aud", "iat", "exp", "jti");

  /** The audience of the gateways of the network named {@code network} in its genesis. */
  public static String gatewayAudience(String network) {
    return "urn:tally:" + network + ":gateway";
  }

  /**
   * Issues a token for {@code participant}, signed with {@code key}, valid from {@code nowSeconds}
   * for {@code lifetime} (1 second to {@link #LIFETIME_MAX}), with id {@code tokenId} (16 random
   * bytes or more: the caller draws them, this library reads no randomness).
   *
   * @return the compact serialization, for an {@code Authorization: Bearer} header
   */
  public static String issue(
      String participant,
      String audience,
      long nowSeconds,
      Duration lifetime,
      byte[] tokenId,
      SigningKey key) {
    if (lifetime.compareTo(LIFETIME_MAX) > 0 || lifetime.toSeconds() < 1) {
      throw new IllegalArgumentException("a token lives 1 second to " + LIFETIME_MAX);
    }
    if (tokenId.length < 16) {
      throw new IllegalArgumentException("a token id needs at least 16 random bytes");
    }
    byte[] claims =
        new JsonWriter()
            .beginObject()
            .member("iss", participant)
            .member("sub", participant)
            .member("aud", audience)
            .member("iat", nowSeconds)
            .member("exp", nowSeconds + lifetime.toSeconds())
            .member("jti", Base64Url.encode(tokenId))
            .endObject()
            .toUtf8();
    return CompactJws.sign(JwsType.ACCESS_TOKEN, claims, key).serialize();
  }

  /**
   * Verifies a token: its shape, that one of the current keys of the participant it names signed
   * it, its audience, and its time window. Replay is the caller's to refuse (by {@link #tokenId()}
   * until {@link #expiresAt()}).
   *
   * @param keysOf the current keys of a participant id (an empty resolver for an unknown one)
   * @throws VerificationException {@link Reason#MALFORMED}, {@link Reason#SIGNER_UNKNOWN}, {@link
   *     Reason#SIGNATURE_INVALID}, {@link Reason#TOKEN_WINDOW_INVALID} (expiry not after issue),
   *     {@link Reason#TOKEN_NOT_ACCEPTED}, {@link Reason#TOKEN_NOT_YET_VALID} (issued beyond the
   *     clock skew ahead) or {@link Reason#TOKEN_EXPIRED}
   */
  public static AccessToken verify(
      String token, String audience, long nowSeconds, Function<String, KeyResolver> keysOf)
      throws VerificationException {
    if (token.length() > TOKEN_BYTES_MAX) {
      throw new VerificationException(Reason.TOO_LARGE, "token longer than " + TOKEN_BYTES_MAX);
    }
    CompactJws jws = CompactJws.parse(token);
    AccessToken claimed = claims(jws.unverifiedPayload());
    jws.verify(JwsType.ACCESS_TOKEN, keysOf.apply(claimed.participant()));
    if (!claimed.audience().equals(audience)) {
      throw new VerificationException(
          Reason.TOKEN_NOT_ACCEPTED, "token is for audience " + claimed.audience());
    }
    // A window that ends where it starts (or before) is no window: such a token would otherwise
    // pass on the clock skew alone.
    if (claimed.expiresAt() <= claimed.issuedAt()) {
      throw new VerificationException(
          Reason.TOKEN_WINDOW_INVALID,
          "token expires at "
              + claimed.expiresAt()
              + ", not after it is issued at "
              + claimed.issuedAt());
    }
    if (lifetimeSeconds(claimed) > LIFETIME_MAX.toSeconds()) {
      throw new VerificationException(
          Reason.TOKEN_NOT_ACCEPTED, "token lives longer than " + LIFETIME_MAX);
    }
    long skew = CLOCK_SKEW.toSeconds();
    if (claimed.issuedAt() - skew > nowSeconds) {
      throw new VerificationException(
          Reason.TOKEN_NOT_YET_VALID,
          "token issued at " + claimed.issuedAt() + ", now " + nowSeconds);
    }
    if (claimed.expiresAt() + skew <= nowSeconds) {
      throw new VerificationException(
          Reason.TOKEN_EXPIRED,
          "token valid from "
              + claimed.issuedAt()
              + " to "
              + claimed.expiresAt()
              + ", now "
              + nowSeconds);
    }
    return claimed;
  }

  /**
   * {@code exp - iat}, or {@link Long#MAX_VALUE} where it does not fit (a negative {@code iat}).
   */
  private static long lifetimeSeconds(AccessToken token) {
    try {
      return Math.subtractExact(token.expiresAt(), token.issuedAt());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static AccessToken claims(byte[] payload) throws VerificationException {
    try {
      JsonObject claims =
          JsonReader.parseObject(payload, Limits.JSON_DEPTH_MAX).requireOnly(CLAIMS);
      String participant = claims.string("iss");
      if (!participant.equals(claims.string("sub"))
          || !Member.ID_PATTERN.matcher(participant).matches()) {
        throw new JsonException("iss and sub must name the same participant");
      }
      String tokenId = claims.string("jti");
      if (tokenId.isEmpty() || tokenId.length() > Limits.ID_CHARS_MAX) {
        throw new JsonException("jti must have 1 to " + Limits.ID_CHARS_MAX + " characters");
      }
      return new AccessToken(
          participant, claims.string("aud"), claims.integer("iat"), claims.integer("exp"), tokenId);
    } catch (JsonException e) {
      throw new VerificationException(Reason.MALFORMED, "token claims: " + e.getMessage());
    }
  }
}
