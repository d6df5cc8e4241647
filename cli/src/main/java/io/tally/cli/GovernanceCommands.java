package io.tally.cli;

import io.tally.client.GovernanceChange;
import io.tally.client.Keys;
import io.tally.client.TallyClient;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Governance at the identity desk: propose a change, approve one. */
final class GovernanceCommands {

  private GovernanceCommands() {}

  static void printProposal(
      CommandLine.Model.CommandSpec spec, Tally.Output output, TallyClient.Proposal proposal) {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("id", proposal.id())
            .member("kind", proposal.kind())
            .member("status", proposal.status());
    if (!proposal.code().isEmpty()) {
      json.member("code", proposal.code());
    }
    json.member("threshold", proposal.threshold()).name("approvedBy").beginArray();
    proposal.approvedBy().forEach(json::value);
    output.print(
        spec,
        json.endArray().endObject(),
        "proposal "
            + proposal.id()
            + " ("
            + proposal.kind()
            + ") "
            + proposal.status()
            + (proposal.code().isEmpty() ? "" : " " + proposal.code())
            + ", approved by "
            + proposal.approvedBy().size()
            + " of "
            + proposal.threshold()
            + " needed"
            + (proposal.approvedBy().isEmpty()
                ? ""
                : ": " + String.join(", ", proposal.approvedBy())));
  }

  @Command(
      name = "propose",
      description = "Propose a governance change; administrators then run `tally approve ID`.",
      subcommands = {
        RegisterParticipant.class,
        RegisterAsset.class,
        SuspendParticipant.class,
        ReinstateParticipant.class,
        AddKey.class,
        RotateKey.class,
        RevokeKey.class
      })
  static final class Propose implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return Tally.USAGE;
    }
  }

  /** What every proposal shares. */
  abstract static class Proposing implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--id", description = "change id (default: kind and random hex)")
    @Nullable String id;

    @Option(
        names = "--valid-for",
        defaultValue = "24h",
        converter = Tally.DurationConverter.class,
        description = "time for the approvals to arrive (default ${DEFAULT-VALUE})")
    Duration validFor = Duration.ofHours(24);

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    abstract GovernanceChange change(String id, long notAfter) throws Exception;

    abstract String kind();

    /** Keys whose proofs of possession go with the proposal. */
    List<SigningKey> introducedKeys() throws Exception {
      return List.of();
    }

    @Override
    public Integer call() throws Exception {
      GovernanceChange change =
          change(
              id == null ? InstructionCommands.newId(kind()) : id,
              System.currentTimeMillis() + validFor.toMillis());
      List<CompactJws> proofs = new ArrayList<>();
      for (SigningKey key : introducedKeys()) {
        proofs.add(change.proof(key));
      }
      printProposal(spec, output, connection.client().propose(change, proofs));
      return 0;
    }
  }

  @Command(name = "register-participant", description = "Register a participant with its keys.")
  static final class RegisterParticipant extends Proposing {
    @Option(names = "--participant", required = true, description = "participant id, e.g. bank-a")
    String participant = "";

    @Option(names = "--name", required = true, description = "legal name")
    String name = "";

    @Option(
        names = "--participant-key",
        required = true,
        description = "the participant's private key file (it signs its proof of possession)")
    List<Path> keyFiles = new ArrayList<>();

    @Option(
        names = "--role",
        defaultValue = "settlement",
        description =
            "settlement (instructions and its own accounts) or auditor (every account and the"
                + " audit API); repeatable (default ${DEFAULT-VALUE})")
    List<String> roles = new ArrayList<>();

    @Override
    List<SigningKey> introducedKeys() throws Exception {
      List<SigningKey> keys = new ArrayList<>();
      for (Path file : keyFiles) {
        keys.add(Keys.read(file));
      }
      return keys;
    }

    @Override
    GovernanceChange change(String id, long notAfter) throws Exception {
      return GovernanceChange.registerParticipant(
          id,
          notAfter,
          participant,
          name,
          introducedKeys().stream().map(SigningKey::verificationKey).toList(),
          roles);
    }

    @Override
    String kind() {
      return "register";
    }
  }

  @Command(name = "register-asset", description = "Register an asset and its issuer.")
  static final class RegisterAsset extends Proposing {
    @Option(names = "--asset", required = true, description = "asset code, e.g. EUR")
    String asset = "";

    @Option(names = "--scale", required = true, description = "decimal places of a minor unit")
    int scale;

    @Option(names = "--issuer", required = true, description = "issuing participant")
    String issuer = "";

    @Override
    GovernanceChange change(String id, long notAfter) {
      return GovernanceChange.registerAsset(id, notAfter, asset, scale, issuer);
    }

    @Override
    String kind() {
      return "asset";
    }
  }

  @Command(name = "suspend-participant", description = "Suspend a participant.")
  static final class SuspendParticipant extends Proposing {
    @Option(names = "--participant", required = true)
    String participant = "";

    @Override
    GovernanceChange change(String id, long notAfter) {
      return GovernanceChange.suspendParticipant(id, notAfter, participant);
    }

    @Override
    String kind() {
      return "suspend";
    }
  }

  @Command(name = "reinstate-participant", description = "Reinstate a suspended participant.")
  static final class ReinstateParticipant extends Proposing {
    @Option(names = "--participant", required = true)
    String participant = "";

    @Override
    GovernanceChange change(String id, long notAfter) {
      return GovernanceChange.reinstateParticipant(id, notAfter, participant);
    }

    @Override
    String kind() {
      return "reinstate";
    }
  }

  /** A key change by governance: whose key. */
  abstract static class KeyProposal extends Proposing {
    @Option(names = "--participant", required = true, description = "whose key changes")
    String participant = "";
  }

  /** A key change that brings a key in: its holder proves possession. */
  abstract static class NewKeyProposal extends KeyProposal {
    @Option(
        names = "--participant-key",
        required = true,
        description = "the new private key file (it signs its proof of possession)")
    Path newKey = Path.of("");

    @Override
    List<SigningKey> introducedKeys() throws Exception {
      return List.of(Keys.read(newKey));
    }
  }

  @Command(
      name = "add-key",
      description = "Add a key to a participant (one that lost its keys, say).")
  static final class AddKey extends NewKeyProposal {
    @Override
    GovernanceChange change(String id, long notAfter) throws Exception {
      return GovernanceChange.addKey(
          id, notAfter, participant, Keys.read(newKey).verificationKey());
    }

    @Override
    String kind() {
      return "add-key";
    }
  }

  @Command(name = "rotate-key", description = "Replace a participant's key by a new one.")
  static final class RotateKey extends NewKeyProposal {
    @Option(names = "--revoke", required = true, description = "the key id to revoke")
    String revoke = "";

    @Override
    GovernanceChange change(String id, long notAfter) throws Exception {
      return GovernanceChange.rotateKey(
          id, notAfter, participant, Keys.read(newKey).verificationKey(), revoke);
    }

    @Override
    String kind() {
      return "rotate-key";
    }
  }

  @Command(name = "revoke-key", description = "Revoke a participant's key (lost or stolen).")
  static final class RevokeKey extends KeyProposal {
    @Option(names = "--kid", required = true, description = "the key id to revoke")
    String kid = "";

    @Override
    GovernanceChange change(String id, long notAfter) {
      return GovernanceChange.revokeKey(id, notAfter, participant, kid);
    }

    @Override
    String kind() {
      return "revoke-key";
    }
  }

  @Command(
      name = "approve",
      description =
          "Approve a proposal with an administrator's key; prints the payload that is signed.")
  static final class Approve implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the proposal id")
    String id = "";

    @Option(names = "--key", required = true, description = "the administrator's private key file")
    Path key = Path.of("");

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      SigningKey administrator = Keys.read(key);
      TallyClient client = connection.client();
      byte[] payload = client.proposalPayload(id);
      if (!output.json) {
        spec.commandLine()
            .getErr()
            .println("approving: " + new String(payload, StandardCharsets.UTF_8));
      }
      printProposal(spec, output, client.approve(id, payload, administrator));
      return 0;
    }
  }
}
