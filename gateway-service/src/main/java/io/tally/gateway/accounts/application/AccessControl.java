package io.tally.gateway.accounts.application;

import io.tally.engine.AccountView;
import io.tally.engine.ParticipantView;
import io.tally.protocol.VerificationException;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.VerificationKey;
import io.tally.protocol.token.AccessToken;
import io.tally.service.CertifiedReplica;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates reads: a {@code Bearer} access token ({@link AccessToken}) signed by one of the
 * calling participant's current keys in the certified directory, for this gateway's audience, in
 * its time window, and never seen before (its id is kept until it expires). A participant with the
 * {@code auditor} role reads every account; any other reads only its own.
 */
public final class AccessControl {

  /** The role that reads every account. */
  public static final String AUDITOR = "auditor";

  /** A caller, once authenticated. */
  public record Caller(String participant, boolean auditor) {

    /** Whether this caller may read {@code account}. */
    public boolean mayRead(AccountView account) {
      return auditor || account.owner().equals(participant);
    }
  }

  /** Not authenticated: no token, or one that does not verify, or one seen before. */
  public static final class Unauthenticated extends Exception {
    private static final long serialVersionUID = 1L;

    Unauthenticated(String detail) {
      super(detail);
    }
  }

  private static final int PURGE_EVERY = 1_024;

  private final CertifiedReplica directory;
  private final String audience;
  private final Clock clock;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private int sincePurge;

  public AccessControl(CertifiedReplica directory, String audience, Clock clock) {
    this.directory = directory;
    this.audience = audience;
    this.clock = clock;
  }

  /**
   * The caller an {@code Authorization} header value speaks for.
   *
   * @throws Unauthenticated if it is missing, not {@code Bearer}, invalid, or replayed
   */
  public Caller authenticate(Optional<String> authorization) throws Unauthenticated {
    String header = authorization.orElseThrow(() -> new Unauthenticated("no access token"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Unauthenticated("the Authorization header must be: Bearer <access token>");
    }
    long now = clock.millis() / 1000;
    AccessToken token;
    try {
      token = AccessToken.verify(header.substring(7).trim(), audience, now, this::currentKeys);
    } catch (VerificationException e) {
      throw new Unauthenticated("access token refused: " + e.getMessage());
    }
    String key = token.participant() + " " + token.tokenId();
    if (seen.putIfAbsent(key, token.expiresAt()) != null) {
      throw new Unauthenticated("access token " + token.tokenId() + " was used before");
    }
    purgeExpired(now);
    return new Caller(token.participant(), auditor(token.participant()));
  }

  /** Whether {@code participant} holds the auditor role in the certified directory. */
  public boolean auditor(String participant) {
    return directory
        .certifiedParticipant(participant)
        .map(p -> p.roles().contains(AUDITOR))
        .orElse(false);
  }

  private KeyResolver currentKeys(String participant) {
    Optional<ParticipantView> view = directory.certifiedParticipant(participant);
    return kid ->
        view.flatMap(p -> p.currentKeys().stream().filter(k -> k.keyId().equals(kid)).findFirst())
            .map(VerificationKey.class::cast);
  }

  /** Forgets token ids once they could no longer be accepted anyway. */
  private void purgeExpired(long now) {
    synchronized (this) {
      if (++sincePurge < PURGE_EVERY) {
        return;
      }
      sincePurge = 0;
    }
    long horizon = now - AccessToken.CLOCK_SKEW.toSeconds();
    for (Iterator<Long> expiries = seen.values().iterator(); expiries.hasNext(); ) {
      if (expiries.next() < horizon) {
        expiries.remove();
      }
    }
  }
}
