package io.tally.protocol.genesis;

/** A genesis file that cannot be loaded; the message says which rule it breaks. */
public final class GenesisException extends Exception {

  private static final long serialVersionUID = 1L;

  public GenesisException(String message) {
    super(message);
  }

  public GenesisException(String message, Throwable cause) {
    super(message, cause);
  }
}
