package io.tally.protocol.codec;

/** JSON text that is not valid, or not of the expected shape; the message says where and why. */
public final class JsonException extends Exception {

  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
