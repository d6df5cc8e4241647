package io.tally.cli;

import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.receipt.Receipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Status, receipts, and their offline verification. */
final class ReceiptCommands {

  private ReceiptCommands() {}

  @Command(name = "status", description = "Where an instruction stands (exit 5 while not final).")
  static final class Status implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the instruction id")
    String id = "";

    @Option(names = "--wait", description = "wait up to --timeout for finality")
    boolean await;

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      Optional<io.tally.client.TallyClient.Status> status =
          await
              ? Optional.of(connection.client().await(id, connection.timeout))
              : connection.client().status(id);
      if (status.isEmpty()) {
        output.print(
            spec,
            new JsonWriter()
                .beginObject()
                .member("id", id)
                .member("status", "NOT_FINAL")
                .endObject(),
            id + " is not final (not submitted, or no certified block holds it yet)");
        return Tally.DEADLINE;
      }
      InstructionCommands.printStatus(spec, output, status.get());
      return status.get().accepted() ? 0 : Tally.REJECTED;
    }
  }

  @Command(
      name = "receipt",
      description = "Fetch a final instruction's receipt (waits up to --timeout for the ledger).")
  static final class Fetch implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the instruction id")
    String id = "";

    @Option(names = "--out", description = "write the receipt here (default: print it)")
    @Nullable Path out;

    @Mixin Tally.Connection connection;

    @Override
    public Integer call() throws Exception {
      byte[] receipt = connection.client().receipt(id, connection.timeout);
      if (out == null) {
        spec.commandLine()
            .getOut()
            .println(new String(receipt, java.nio.charset.StandardCharsets.UTF_8));
      } else {
        Files.write(out, receipt);
        spec.commandLine().getOut().println("receipt of " + id + " written to " + out);
      }
      return 0;
    }
  }

  @Command(
      name = "verify-receipt",
      description =
          "Verify a receipt offline against a genesis file: exit 0 if a quorum certified it, 1 if"
              + " not.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the receipt file")
    Path file = Path.of("");

    @Option(names = "--genesis", required = true, description = "the network's genesis file")
    Path genesisFile = Path.of("");

    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      Genesis genesis = Genesis.load(genesisFile);
      byte[] bytes = Files.readAllBytes(file);
      Receipt.Verified verified;
      try {
        verified = Receipt.parse(bytes).verify(genesis);
      } catch (VerificationException e) {
        output.print(
            spec,
            new JsonWriter()
                .beginObject()
                .name("valid")
                .value(false)
                .member("reason", e.reason().name())
                .member("detail", String.valueOf(e.getMessage()))
                .endObject(),
            "INVALID receipt: " + e.reason() + ": " + e.getMessage());
        return Tally.REJECTED;
      }
      // Everything printed comes from what the verifier established, never from the receipt's own
      // words: its finality sentence, if any, was checked to equal the verifier's (ADR 0015).
      String entry =
          verified.type() == EnvelopeType.GOVERNANCE ? "governance change" : "instruction";
      JsonWriter json =
          new JsonWriter()
              .beginObject()
              .name("valid")
              .value(true)
              .member("instructionId", verified.instructionId())
              .member("entry", verified.type().wireName())
              .member("code", verified.code())
              .member("index", verified.index())
              .member("height", verified.height())
              .member("header", verified.headerHash().toHex())
              .member("network", genesis.network())
              .member("genesis", genesis.hash().toHex())
              .member("quorum", genesis.validators().threshold())
              .name("signers")
              .beginArray();
      verified.signers().forEach(json::value);
      output.print(
          spec,
          json.endArray().member("finality", verified.finality()).endObject(),
          "VALID receipt for "
              + verified.instructionId()
              + " ("
              + entry
              + "), outcome "
              + verified.code()
              + "\n"
              + verified.finality());
      return 0;
    }
  }
}
