package io.tally.cli;

import io.tally.client.TallyClient;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.receipt.Receipt;
import java.nio.charset.StandardCharsets;
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
      TallyClient client = connection.client(spec);
      Optional<TallyClient.Status> status = client.status(id);
      if (status.isEmpty() && await) {
        // Said at once: the gateway answers the same 404 for an id it never saw and for one no
        // certified block holds yet, so only the deadline can tell them apart.
        spec.commandLine()
            .getErr()
            .println(
                "tally: no certified block holds "
                    + id
                    + " (not submitted, or not final yet); waiting up to "
                    + connection.timeout.toSeconds()
                    + " s");
        spec.commandLine().getErr().flush();
        status = Optional.of(client.await(id, connection.timeout));
      }
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
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      byte[] receipt = connection.client(spec).receipt(id, connection.timeout);
      Path file = out;
      if (file == null) {
        // The receipt is one JSON document already: printed as the gateway sent it, --json or not.
        spec.commandLine().getOut().println(new String(receipt, StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
      } else {
        Files.write(file, receipt);
        output.print(
            spec,
            new JsonWriter()
                .beginObject()
                .member("id", id)
                .member("file", file.toString())
                .endObject(),
            "receipt of "
                + id
                + " written to "
                + file
                + "; check it offline: tally verify-receipt "
                + file
                + " --genesis network.json");
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
                .member("detail", Tally.withoutReason(e))
                .endObject(),
            "INVALID receipt (" + e.reason() + "): " + Tally.withoutReason(e));
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
