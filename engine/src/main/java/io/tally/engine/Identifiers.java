package io.tally.engine;

import java.util.regex.Pattern;

/**
 * The syntax of the ids the engine accepts, for the services to check a path or query parameter
 * against before it reaches a store: an id that does not match can name nothing the network holds.
 * Participant ids follow {@link io.tally.protocol.genesis.Member#ID_PATTERN}.
 */
public final class Identifiers {

  /** Instruction (and governance proposal, reservation) ids: 1 to 64 characters. */
  public static final Pattern INSTRUCTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  /** Account ids: the same syntax as instruction ids. */
  public static final Pattern ACCOUNT_ID = INSTRUCTION_ID;

  /** Asset codes: upper case, 1 to 32 characters. */
  public static final Pattern ASSET_CODE = Pattern.compile("[A-Z0-9][A-Z0-9._-]{0,31}");

  private Identifiers() {}
}
