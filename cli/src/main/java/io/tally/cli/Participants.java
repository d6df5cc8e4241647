package io.tally.cli;

import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import io.tally.protocol.keys.SigningKey;
import picocli.CommandLine;

/** Who a key speaks for, when the command line does not say. */
final class Participants {

  private Participants() {}

  /**
   * The participant the identity desk lists with {@code key} as a current key.
   *
   * @throws CommandLine.ParameterException if none does: the caller must say {@code --participant}
   */
  static String ofKey(CommandLine.Model.CommandSpec spec, TallyClient client, SigningKey key)
      throws TallyException {
    return client
        .participantOfKey(key.keyId())
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    "no participant in the directory has key "
                        + key.keyId()
                        + " (not registered, revoked, or not final yet): give --participant"
                        + " (or env TALLY_PARTICIPANT)"));
  }

  /** A failure of the server's answer that the client library did not see (exit 4). */
  static Tally.Failed unavailable(String detail) {
    return new Tally.Failed(Tally.UNAVAILABLE, "unavailable", detail);
  }
}
