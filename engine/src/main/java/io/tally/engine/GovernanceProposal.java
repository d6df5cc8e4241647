package io.tally.engine;

import io.tally.protocol.Limits;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.keys.VerificationKey;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a governance payload says, read by the same decoder the validators use, for a service that
 * collects approvals before the payload reaches the log: its id, kind, {@code notAfter} and the
 * keys it brings into the directory (each must sign it as proof of possession).
 */
public final class GovernanceProposal {

  private final String id;
  private final String kind;
  private final long notAfter;
  private final List<VerificationKey> introducedKeys;

  private GovernanceProposal(
      String id, String kind, long notAfter, List<VerificationKey> introducedKeys) {
    this.id = id;
    this.kind = kind;
    this.notAfter = notAfter;
    this.introducedKeys = introducedKeys;
  }

  /** A payload the engine would refuse before looking at any signature, with its code. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final Code code;

    Refused(Code code, String message) {
      super(message);
      this.code = code;
    }

    public Code code() {
      return code;
    }
  }

  /**
   * Reads a governance payload.
   *
   * @throws Refused with {@link Code#MALFORMED} or a content code when the engine would refuse it
   */
  public static GovernanceProposal inspect(byte[] payload, Rules rules) throws Refused {
    Decoder.Decoded decoded = new Decoder(rules).decode(payload, true);
    Command command = decoded.command();
    String id = decoded.id();
    if (!decoded.code().accepted() || command == null || id == null) {
      throw new Refused(decoded.code(), decoded.detail());
    }
    String kind;
    try {
      kind = JsonReader.parseObject(payload, Limits.JSON_DEPTH_MAX).string("kind");
    } catch (JsonException e) {
      throw new Refused(Code.MALFORMED, String.valueOf(e.getMessage()));
    }
    return new GovernanceProposal(id, kind, decoded.notAfter(), introducedKeys(command));
  }

  /**
   * The keys a command brings into the directory (registration, add, rotate): each must sign the
   * entry itself, proving possession of its private key, so no one can claim someone else's key.
   */
  static List<VerificationKey> introducedKeys(@Nullable Command command) {
    if (command instanceof Command.RegisterParticipant register) {
      return register.keys();
    } else if (command instanceof Command.AddKey add) {
      return List.of(add.key());
    } else if (command instanceof Command.RotateKey rotate) {
      return List.of(rotate.key());
    }
    return List.of();
  }

  public String id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  public long notAfter() {
    return notAfter;
  }

  /** The keys the change brings in; each must sign the payload. */
  public List<VerificationKey> introducedKeys() {
    return introducedKeys;
  }
}
