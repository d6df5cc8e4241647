package io.tally.cli;

import io.tally.client.Instruction;
import io.tally.client.Keys;
import io.tally.client.Leg;
import io.tally.client.SignedInstruction;
import io.tally.client.TallyClient;
import io.tally.protocol.codec.Hex;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Commands that build, sign and submit participant instructions. */
final class InstructionCommands {

  private static final SecureRandom RANDOM = new SecureRandom();

  private InstructionCommands() {}

  /** A fresh instruction id: the kind and 96 random bits. */
  static String newId(String kind) {
    byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    return kind + "-" + Hex.encode(random);
  }

  /**
   * What every instruction command shares: signing keys, id, validity, and whether to submit or to
   * write the signed instruction to a file for the next signer.
   */
  abstract static class Build implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--key",
        required = true,
        description = "private key file of a signer (repeat for several signers)")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--id", description = "instruction id (default: kind and random hex)")
    @Nullable String id;

    @Option(
        names = "--valid-for",
        defaultValue = "10m",
        converter = Tally.DurationConverter.class,
        description =
            "notAfter = now + this (default ${DEFAULT-VALUE}, at most the network's window)")
    Duration validFor = Duration.ofMinutes(10);

    @Option(
        names = "--out",
        description = "write the signed instruction here instead of submitting it (for co-signers)")
    @Nullable Path out;

    @Mixin Submission submission;

    private Amounts.@Nullable Scales scales;

    abstract Instruction build(String id, long notAfter) throws Exception;

    abstract String kind();

    /** Keys that sign besides {@code --key}: a key the instruction brings in. */
    List<SigningKey> newKeys() throws Exception {
      return List.of();
    }

    /** The signing keys of {@code --key}, read. */
    List<SigningKey> signers() throws IOException {
      List<SigningKey> signers = new ArrayList<>();
      for (Path key : keys) {
        signers.add(Keys.read(key));
      }
      return signers;
    }

    /** The legs of {@code --leg}, amounts in minor units (scales from the identity desk). */
    List<Leg> legs(List<String> legs) throws Exception {
      List<Leg> parsed = new ArrayList<>();
      for (String leg : legs) {
        if (scales == null) {
          scales = new Amounts.Scales(submission.connection.client(), spec.commandLine().getErr());
        }
        parsed.add(Amounts.leg(spec, leg, scales));
      }
      return parsed;
    }

    @Override
    public Integer call() throws Exception {
      long notAfter = System.currentTimeMillis() + validFor.toMillis();
      String instructionId = id == null ? newId(kind()) : id;
      Instruction instruction = build(instructionId, notAfter);
      List<SigningKey> signers = signers();
      signers.addAll(newKeys());
      SignedInstruction signed = instruction.sign(signers);
      if (out != null) {
        return written(spec, submission.output, signed, out);
      }
      return submission.submit(spec, signed);
    }
  }

  /** Submits, and by default waits for finality; prints the result. */
  static final class Submission {

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Option(names = "--no-wait", description = "return once the log has it; do not wait")
    boolean noWait;

    int submit(CommandLine.Model.CommandSpec spec, SignedInstruction signed) throws Exception {
      TallyClient client = connection.client(spec);
      if (noWait) {
        TallyClient.Submitted submitted = client.submit(signed);
        output.print(
            spec,
            new JsonWriter()
                .beginObject()
                .member("id", submitted.id())
                .member("status", "SUBMITTED")
                .member("offset", submitted.offset())
                .endObject(),
            "submitted " + submitted.id() + " (log offset " + submitted.offset() + ")");
        return 0;
      }
      TallyClient.Status status = client.submitAndAwait(signed, connection.timeout);
      printStatus(spec, output, status);
      return status.accepted() ? 0 : Tally.REJECTED;
    }
  }

  static void printStatus(
      CommandLine.Model.CommandSpec spec, Tally.Output output, TallyClient.Status status) {
    output.print(
        spec,
        new JsonWriter()
            .beginObject()
            .member("id", status.id())
            .member("status", status.status())
            .member("code", status.code())
            .member("offset", status.offset())
            .member("asOfHeight", status.asOfHeight())
            .endObject(),
        status.id() + " " + status.status() + " " + status.code());
  }

  static int written(
      CommandLine.Model.CommandSpec spec, Tally.Output output, SignedInstruction signed, Path out)
      throws IOException {
    Files.write(out, signed.toBytes());
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("id", signed.id())
            .member("file", out.toString())
            .name("signers")
            .beginArray();
    signed.signerKeyIds().forEach(json::value);
    output.print(
        spec,
        json.endArray().endObject(),
        signed.id()
            + " signed by "
            + signed.signerKeyIds().size()
            + " key(s), written to "
            + out
            + "; next: tally sign "
            + out
            + " --key ..., or tally submit "
            + out);
    return 0;
  }

  @Command(name = "open-account", description = "Open an account for an asset.")
  static final class OpenAccount extends Build {
    @Option(names = "--account", required = true)
    String account = "";

    @Option(names = "--owner", required = true, description = "the owning participant")
    String owner = "";

    @Option(names = "--asset", required = true)
    String asset = "";

    @Option(names = "--flag", description = "issuance or overdraft (issuer only)")
    List<String> flags = new ArrayList<>();

    @Override
    Instruction build(String id, long notAfter) {
      return Instruction.openAccount(
          id, notAfter, account, owner, asset, new LinkedHashSet<>(flags));
    }

    @Override
    String kind() {
      return "open";
    }
  }

  @Command(
      name = "settle",
      description = "Settle legs atomically (DvP: one leg per asset); every debtor signs.")
  static final class Settle extends Build {
    @Option(
        names = "--leg",
        required = true,
        paramLabel = "LEG",
        description = {
          "debit:credit:ASSET:MINOR_UNITS (a-eur:b-eur:EUR:750000), or \"debit:credit:AMOUNT"
              + " ASSET\" in the asset's units (\"a-eur:b-eur:7500.00 EUR\", its scale from"
              + " the identity desk); repeat for several legs"
        })
    List<String> legs = new ArrayList<>();

    @Override
    Instruction build(String id, long notAfter) throws Exception {
      return Instruction.settle(id, notAfter, legs(legs));
    }

    @Override
    String kind() {
      return "settle";
    }
  }

  @Command(
      name = "reserve",
      description = "Reserve legs until they are committed, cancelled or expire.")
  static final class Reserve extends Build {
    @Option(
        names = "--leg",
        required = true,
        paramLabel = "LEG",
        description =
            "debit:credit:ASSET:MINOR_UNITS or \"debit:credit:AMOUNT ASSET\", as for settle;"
                + " repeatable")
    List<String> legs = new ArrayList<>();

    @Option(
        names = "--expires-in",
        defaultValue = "10m",
        converter = Tally.DurationConverter.class,
        description = "expiry from now (default ${DEFAULT-VALUE})")
    Duration expiresIn = Duration.ofMinutes(10);

    @Option(names = "--controller", description = "participant that may also commit or cancel")
    List<String> controllers = new ArrayList<>();

    @Override
    Instruction build(String id, long notAfter) throws Exception {
      return Instruction.reserve(
          id, notAfter, legs(legs), System.currentTimeMillis() + expiresIn.toMillis(), controllers);
    }

    @Override
    String kind() {
      return "reserve";
    }
  }

  @Command(name = "commit", description = "Settle a reservation.")
  static final class Commit extends Build {
    @Option(names = "--reservation", required = true, description = "the reserve instruction's id")
    String reservation = "";

    @Override
    Instruction build(String id, long notAfter) {
      return Instruction.commit(id, notAfter, reservation);
    }

    @Override
    String kind() {
      return "commit";
    }
  }

  @Command(name = "cancel", description = "Release a reservation.")
  static final class Cancel extends Build {
    @Option(names = "--reservation", required = true, description = "the reserve instruction's id")
    String reservation = "";

    @Override
    Instruction build(String id, long notAfter) {
      return Instruction.cancel(id, notAfter, reservation);
    }

    @Override
    String kind() {
      return "cancel";
    }
  }

  @Command(name = "sign", description = "Add signatures to an instruction another party built.")
  static final class Sign implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the signed instruction file")
    Path file = Path.of("");

    @Option(names = "--key", required = true, description = "private key file; repeatable")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--out", description = "write here (default: the file itself)")
    @Nullable Path out;

    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      SignedInstruction signed = SignedInstruction.parse(Files.readAllBytes(file));
      for (Path key : keys) {
        signed = signed.withSignature(Keys.read(key));
      }
      return written(spec, output, signed, out == null ? file : out);
    }
  }

  @Command(name = "submit", description = "Submit a signed instruction file.")
  static final class Submit implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the signed instruction file")
    Path file = Path.of("");

    @Mixin Submission submission;

    @Override
    public Integer call() throws Exception {
      return submission.submit(spec, SignedInstruction.parse(Files.readAllBytes(file)));
    }
  }
}
