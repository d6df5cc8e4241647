package io.tally.cli;

import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.genesis.GenesisException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tally}: keys, governance, instructions, status and receipts from a shell.
 *
 * <p>Exit codes (stable, for scripts): 0 done (final and accepted, receipt verified, ...); 1 the
 * network decided against it (final with another code than ACCEPTED) or a receipt failed
 * verification; 2 usage error; 3 refused by the server (a 4xx Problem Details, printed); 4 the
 * server could not be reached or failed (retry later); 5 the deadline passed before finality (the
 * instruction may still become final: ask {@code tally status}); 6 a local file could not be read
 * or written.
 */
@Command(
    name = "tally",
    mixinStandardHelpOptions = true,
    version = "tally 0.1.0",
    description = "Settle on a Tally network and verify receipts offline.",
    subcommands = {
      KeygenCommand.class,
      NetworkCommands.class,
      GovernanceCommands.Propose.class,
      GovernanceCommands.Approve.class,
      InstructionCommands.OpenAccount.class,
      InstructionCommands.Settle.class,
      InstructionCommands.Reserve.class,
      InstructionCommands.Commit.class,
      InstructionCommands.Cancel.class,
      InstructionCommands.Sign.class,
      InstructionCommands.Submit.class,
      ReceiptCommands.Status.class,
      ReceiptCommands.Fetch.class,
      ReceiptCommands.Verify.class,
      ReadCommands.Accounts.class,
      ReadCommands.History.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:final with another outcome than ACCEPTED, or a receipt that fails verification",
      "2:usage error",
      "3:refused by the server (Problem Details printed)",
      "4:server unreachable or failing; try again later",
      "5:deadline passed before finality; ask `tally status`",
      "6:a local file could not be read or written"
    })
public final class Tally {

  static final int REJECTED = 1;
  static final int USAGE = 2;
  static final int REFUSED = 3;
  static final int UNAVAILABLE = 4;
  static final int DEADLINE = 5;
  static final int LOCAL_FILE = 6;

  private Tally() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Tally's exit codes mapped from exceptions. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(Tally.class);
    commandLine.setExecutionExceptionHandler(Tally::failed);
    return commandLine;
  }

  private static int failed(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof TallyException tally) {
      err.println(
          "tally: "
              + tally.getMessage()
              + (tally.type().isEmpty() ? "" : " [" + tally.type() + "]"));
      return switch (tally.kind()) {
        case REFUSED -> REFUSED;
        case UNAVAILABLE -> UNAVAILABLE;
        case DEADLINE -> DEADLINE;
      };
    }
    if (e instanceof VerificationException verification) {
      err.println("tally: " + verification.reason() + ": " + verification.getMessage());
      return REJECTED;
    }
    if (e instanceof IOException || e instanceof GenesisException) {
      err.println("tally: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return LOCAL_FILE;
    }
    if (e instanceof IllegalArgumentException) {
      err.println("tally: " + e.getMessage());
      commandLine.usage(err);
      return USAGE;
    }
    err.println("tally: unexpected " + e);
    return CommandLine.ExitCode.SOFTWARE;
  }

  /** Where the network is and how long to wait. */
  static final class Connection {

    @Option(
        names = "--gateway",
        defaultValue = "${env:TALLY_GATEWAY:-http://127.0.0.1:8080}",
        description = "gateway base URL (env TALLY_GATEWAY; default ${DEFAULT-VALUE})")
    URI gateway = URI.create("http://127.0.0.1:8080");

    @Option(
        names = "--identity",
        defaultValue = "${env:TALLY_IDENTITY:-http://127.0.0.1:8081}",
        description = "identity desk base URL (env TALLY_IDENTITY; default ${DEFAULT-VALUE})")
    URI identity = URI.create("http://127.0.0.1:8081");

    @Option(
        names = "--timeout",
        defaultValue = "30s",
        converter = DurationConverter.class,
        description =
            "how long to wait for finality or a receipt, e.g. 30s, 2m (default ${DEFAULT-VALUE})")
    Duration timeout = Duration.ofSeconds(30);

    TallyClient client() {
      return TallyClient.create(gateway, identity, Duration.ofSeconds(10));
    }
  }

  /** Output in words, or one JSON object per result with {@code --json}. */
  static final class Output {
    @Option(names = "--json", description = "print results as JSON")
    boolean json;

    /** Prints {@code json} (a finished object) with --json, else {@code text}. */
    void print(CommandLine.Model.CommandSpec spec, JsonWriter result, String text) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(json ? result.toJson() : text);
      out.flush();
    }
  }

  /** Reads {@code 30s}, {@code 5m}, {@code 2h} or an ISO-8601 duration. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      String lower = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("p")) {
        return Duration.parse(text.trim());
      }
      if (lower.matches("[0-9]{1,9}(ms|s|m|h)")) {
        long value = Long.parseLong(lower.replaceAll("[a-z]", ""));
        return switch (lower.replaceAll("[0-9]", "")) {
          case "ms" -> Duration.ofMillis(value);
          case "s" -> Duration.ofSeconds(value);
          case "m" -> Duration.ofMinutes(value);
          default -> Duration.ofHours(value);
        };
      }
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is no duration: use 30s, 5m, 2h or ISO-8601 (PT30S)");
    }
  }
}
