package io.tally.cli;

import io.tally.client.Instruction;
import io.tally.client.Keys;
import io.tally.protocol.keys.SigningKey;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A participant's own keys (ADR 0008): an instruction signed by one of its current keys ({@code
 * --key}) and, for a key it brings in, by that key. Governance does the same for a participant that
 * lost its keys: {@code tally propose add-key / rotate-key / revoke-key}.
 */
@Command(
    name = "key",
    description = {
      "Add, rotate or revoke one of your own keys: an instruction signed with a current key"
          + " (--key) and the new key, submitted like any other.",
      "Lost every key? Governance does it: tally propose add-key / rotate-key / revoke-key."
    },
    subcommands = {KeyCommands.Add.class, KeyCommands.Rotate.class, KeyCommands.Revoke.class})
final class KeyCommands implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Tally.USAGE;
  }

  /** What every key change shares: whose keys change. */
  abstract static class KeyChange extends InstructionCommands.Build {
    @Option(
        names = "--participant",
        defaultValue = "${env:TALLY_PARTICIPANT}",
        description =
            "whose key changes (env TALLY_PARTICIPANT; default: the participant the identity desk"
                + " lists with --key's key)")
    @Nullable String participant;

    String participant() throws Exception {
      if (participant != null && !participant.isBlank()) {
        return participant;
      }
      return Participants.ofKey(spec, submission.connection.client(), signers().get(0));
    }
  }

  @Command(name = "add", description = "Add a key; signed by a current key and the new key.")
  static final class Add extends KeyChange {
    @Option(
        names = "--new-key",
        required = true,
        description = "the new key's private key file (tally keygen); it signs too")
    Path newKey = Path.of("");

    @Override
    List<SigningKey> newKeys() throws Exception {
      return List.of(Keys.read(newKey));
    }

    @Override
    Instruction build(String id, long notAfter) throws Exception {
      return Instruction.addKey(id, notAfter, participant(), Keys.read(newKey).verificationKey());
    }

    @Override
    String kind() {
      return "add-key";
    }
  }

  @Command(
      name = "rotate",
      description =
          "Replace a key by a new one in one step; signed by a current key and the new key.")
  static final class Rotate extends KeyChange {
    @Option(
        names = "--new-key",
        required = true,
        description = "the new key's private key file (tally keygen); it signs too")
    Path newKey = Path.of("");

    @Option(names = "--revoke", description = "the key id to revoke (default: --key's own)")
    @Nullable String revoke;

    @Override
    List<SigningKey> newKeys() throws Exception {
      return List.of(Keys.read(newKey));
    }

    @Override
    Instruction build(String id, long notAfter) throws Exception {
      String old = revoke != null ? revoke : signers().get(0).keyId();
      return Instruction.rotateKey(
          id, notAfter, participant(), Keys.read(newKey).verificationKey(), old);
    }

    @Override
    String kind() {
      return "rotate-key";
    }
  }

  @Command(name = "revoke", description = "Revoke a key by its id; signed by a current key.")
  static final class Revoke extends KeyChange {
    @Option(names = "--kid", required = true, description = "the key id to revoke")
    String kid = "";

    @Override
    Instruction build(String id, long notAfter) throws Exception {
      return Instruction.revokeKey(id, notAfter, participant(), kid);
    }

    @Override
    String kind() {
      return "revoke-key";
    }
  }
}
