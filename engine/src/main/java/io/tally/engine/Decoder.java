package io.tally.engine;

import io.tally.engine.Command.Leg;
import io.tally.protocol.Limits;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.VerificationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decodes instruction and governance payloads (JSON the signers wrote) into commands, applying
 * every rule that needs no state: shape, identifiers, amounts, leg count, distinct accounts.
 *
 * <p>Common members: {@code id} (the instruction id), {@code kind}, {@code notAfter} (log time in
 * milliseconds after which the entry is refused). Amounts are decimal strings of minor units, so
 * clients in any language keep all 63 bits.
 */
final class Decoder {

  static final Pattern INSTRUCTION_ID = Identifiers.INSTRUCTION_ID;
  static final Pattern ACCOUNT_ID = Identifiers.ACCOUNT_ID;
  static final Pattern ASSET_CODE = Identifiers.ASSET_CODE;
  private static final Pattern AMOUNT = Pattern.compile("[1-9][0-9]{0,18}");
  private static final int NAME_CHARS_MAX = 200;
  private static final int ROLES_MAX = 8;
  private static final int SCALE_MAX = 18;

  /** The decoded common part and command, or the code of the first stateless rule broken. */
  record Decoded(
      @Nullable String id, long notAfter, @Nullable Command command, Code code, String detail) {}

  /** A stateless rule broken while decoding. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final Code code;

    Refused(Code code, String detail) {
      super(detail, null, false, false);
      this.code = code;
    }
  }

  private final Rules rules;

  Decoder(Rules rules) {
    this.rules = rules;
  }

  Decoded decode(byte[] payload, boolean governance) {
    String id = null;
    long notAfter = 0;
    try {
      JsonObject json = JsonReader.parseObject(payload, Limits.JSON_DEPTH_MAX);
      // The id counts only together with its notAfter: without one the id could be remembered
      // for no bounded time, so such an entry is malformed and anonymous.
      String candidate = identifier(json, "id", INSTRUCTION_ID);
      notAfter = json.integer("notAfter");
      id = candidate;
      String kind = json.string("kind");
      Command command = governance ? governanceCommand(kind, json) : participantCommand(kind, json);
      return new Decoded(id, notAfter, command, Code.ACCEPTED, "");
    } catch (JsonException e) {
      return new Decoded(id, notAfter, null, Code.MALFORMED, String.valueOf(e.getMessage()));
    } catch (Refused e) {
      return new Decoded(id, notAfter, null, e.code, String.valueOf(e.getMessage()));
    }
  }

  private Command participantCommand(String kind, JsonObject json) throws JsonException, Refused {
    switch (kind) {
      case "open-account" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "account", "owner", "asset", "flags"));
        boolean issuance = false;
        boolean overdraft = false;
        if (json.has("flags")) {
          for (Object flag : json.array("flags", 2)) {
            if ("issuance".equals(flag) && !issuance) {
              issuance = true;
            } else if ("overdraft".equals(flag) && !overdraft) {
              overdraft = true;
            } else {
              throw new JsonException("flags are \"issuance\" and \"overdraft\", each once");
            }
          }
        }
        return new Command.OpenAccount(
            identifier(json, "account", ACCOUNT_ID),
            identifier(json, "owner", Member.ID_PATTERN),
            identifier(json, "asset", ASSET_CODE),
            issuance,
            overdraft);
      }
      case "settle" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "legs"));
        return new Command.Settle(legs(json));
      }
      case "reserve" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "legs", "expiresAt", "controllers"));
        List<Leg> legs = legs(json);
        List<String> controllers = new ArrayList<>();
        if (json.has("controllers")) {
          Set<String> seen = new HashSet<>();
          for (Object item : json.array("controllers", rules.legsMax() * 2)) {
            if (!(item instanceof String controller)
                || !Member.ID_PATTERN.matcher(controller).matches()
                || !seen.add(controller)) {
              throw new JsonException("controllers must be distinct participant ids");
            }
            controllers.add(controller);
          }
        }
        return new Command.Reserve(legs, json.integer("expiresAt"), List.copyOf(controllers));
      }
      case "commit" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "reservation"));
        return new Command.Commit(identifier(json, "reservation", INSTRUCTION_ID));
      }
      case "cancel" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "reservation"));
        return new Command.Cancel(identifier(json, "reservation", INSTRUCTION_ID));
      }
      case "add-key", "revoke-key", "rotate-key" -> {
        return keyCommand(kind, json);
      }
      default -> throw new JsonException("unknown instruction kind \"" + kind + "\"");
    }
  }

  /**
   * A key change, the same JSON whether governance or the participant itself signs it: {@code
   * add-key} {@code {participant, key}}, {@code revoke-key} {@code {participant, kid}}, {@code
   * rotate-key} {@code {participant, key, revoke}}.
   */
  private Command keyCommand(String kind, JsonObject json) throws JsonException, Refused {
    switch (kind) {
      case "add-key" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant", "key"));
        return new Command.AddKey(
            identifier(json, "participant", Member.ID_PATTERN), key(json.object("key")));
      }
      case "revoke-key" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant", "kid"));
        return new Command.RevokeKey(
            identifier(json, "participant", Member.ID_PATTERN), json.string("kid"));
      }
      case "rotate-key" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant", "key", "revoke"));
        return new Command.RotateKey(
            identifier(json, "participant", Member.ID_PATTERN),
            key(json.object("key")),
            json.string("revoke"));
      }
      default -> throw new JsonException("unknown key change \"" + kind + "\"");
    }
  }

  private Command governanceCommand(String kind, JsonObject json) throws JsonException, Refused {
    switch (kind) {
      case "register-participant" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant", "name", "roles", "keys"));
        String name = json.string("name");
        if (name.isBlank() || name.length() > NAME_CHARS_MAX) {
          throw new JsonException("name must have 1 to " + NAME_CHARS_MAX + " characters");
        }
        List<String> roles = new ArrayList<>();
        for (Object role : json.array("roles", ROLES_MAX)) {
          if (!(role instanceof String r) || !Member.ID_PATTERN.matcher(r).matches()) {
            throw new JsonException("roles must be lowercase identifiers");
          }
          roles.add(r);
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (Object key : json.array("keys", rules.keysMax())) {
          if (!(key instanceof JsonObject jwk)) {
            throw new JsonException("keys must be JWK objects");
          }
          keys.add(key(jwk));
        }
        if (keys.isEmpty()) {
          throw new JsonException("a participant needs at least one key");
        }
        return new Command.RegisterParticipant(
            identifier(json, "participant", Member.ID_PATTERN),
            name,
            List.copyOf(roles),
            List.copyOf(keys));
      }
      case "add-key", "revoke-key", "rotate-key" -> {
        return keyCommand(kind, json);
      }
      case "suspend-participant" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant"));
        return new Command.SuspendParticipant(identifier(json, "participant", Member.ID_PATTERN));
      }
      case "reinstate-participant" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "participant"));
        return new Command.ReinstateParticipant(identifier(json, "participant", Member.ID_PATTERN));
      }
      case "register-asset" -> {
        json.requireOnly(Set.of("id", "kind", "notAfter", "asset", "scale", "issuer"));
        long scale = json.integer("scale");
        if (scale < 0 || scale > SCALE_MAX) {
          throw new JsonException("scale must be 0 to " + SCALE_MAX);
        }
        return new Command.RegisterAsset(
            identifier(json, "asset", ASSET_CODE),
            (int) scale,
            identifier(json, "issuer", Member.ID_PATTERN));
      }
      default -> throw new JsonException("unknown governance kind \"" + kind + "\"");
    }
  }

  private List<Leg> legs(JsonObject json) throws JsonException, Refused {
    List<Object> items = json.array("legs", Integer.MAX_VALUE);
    if (items.isEmpty()) {
      throw new JsonException("at least one leg is needed");
    }
    if (items.size() > rules.legsMax()) {
      throw new Refused(Code.LEGS_TOO_MANY, "more than " + rules.legsMax() + " legs");
    }
    List<Leg> legs = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof JsonObject leg)) {
        throw new JsonException("legs must be objects");
      }
      leg.requireOnly(Set.of("debit", "credit", "asset", "amount"));
      String debit = identifier(leg, "debit", ACCOUNT_ID);
      String credit = identifier(leg, "credit", ACCOUNT_ID);
      String asset = identifier(leg, "asset", ASSET_CODE);
      long amount = amount(leg);
      if (debit.equals(credit)) {
        throw new Refused(Code.ACCOUNTS_MUST_BE_DIFFERENT, "leg debits and credits " + debit);
      }
      legs.add(new Leg(debit, credit, asset, amount));
    }
    return List.copyOf(legs);
  }

  private static long amount(JsonObject leg) throws JsonException, Refused {
    if (!leg.has("amount")) {
      throw new JsonException("missing member \"amount\"");
    }
    String text;
    try {
      text = leg.string("amount");
    } catch (JsonException e) {
      throw new Refused(Code.AMOUNT_INVALID, "amount must be a decimal string of minor units");
    }
    if (!AMOUNT.matcher(text).matches()) {
      throw new Refused(Code.AMOUNT_INVALID, "amount must be 1 to 2^63-1 minor units, got " + text);
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new Refused(Code.AMOUNT_INVALID, "amount exceeds 2^63-1 minor units");
    }
  }

  private static String identifier(JsonObject json, String name, Pattern pattern)
      throws JsonException {
    String value = json.string(name);
    if (!pattern.matcher(value).matches()) {
      throw new JsonException("\"" + name + "\" must match " + pattern.pattern());
    }
    return value;
  }

  private static VerificationKey key(JsonObject jwk) throws Refused {
    try {
      return Jwk.read(jwk).key();
    } catch (VerificationException e) {
      throw new Refused(Code.MALFORMED, "key: " + e.getMessage());
    }
  }
}
