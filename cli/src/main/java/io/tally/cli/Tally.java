package io.tally.cli;

import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonException;
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
    // Inherited: every command and subcommand has --help and --version, and the exit codes below.
    scope = CommandLine.ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    version = "tally 0.1.0",
    description = "Settle on a Tally network and verify receipts offline.",
    subcommands = {
      HelpCommand.class,
      KeygenCommand.class,
      KeyCommands.class,
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
      ReadCommands.History.class,
      ReadCommands.Blocks.class,
      ReadCommands.Events.class,
      DirectoryCommands.Participants.class,
      DirectoryCommands.Assets.class,
      CompletionCommand.class
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

  /**
   * Says why a command failed, in words (never a Java class name), and returns its exit code. With
   * {@code --json} the failure is also printed on standard output as one JSON document, {@code
   * {"error": {"exitCode", "kind", "status", "type", "detail"}}}, so that a script reading the
   * output always reads JSON.
   */
  private static int failed(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Failure failure = failure(e);
    PrintWriter err = commandLine.getErr();
    err.println("tally: " + failure.detail());
    if (failure.exitCode() == USAGE) {
      err.println(
          "Try 'tally help "
              + commandLine.getCommandSpec().qualifiedName(" ").replaceFirst("^tally ?", "")
              + "' for more.");
    }
    err.flush();
    if (json(parseResult)) {
      JsonWriter json =
          new JsonWriter()
              .beginObject()
              .name("error")
              .beginObject()
              .member("exitCode", failure.exitCode())
              .member("kind", failure.kind());
      if (failure.status() != 0) {
        json.member("status", failure.status());
      }
      if (!failure.type().isEmpty()) {
        json.member("type", failure.type());
      }
      PrintWriter out = commandLine.getOut();
      out.println(json.member("detail", failure.detail()).endObject().endObject().toJson());
      out.flush();
    }
    return failure.exitCode();
  }

  /** Why a command failed, as it is told. */
  record Failure(int exitCode, String kind, int status, String type, String detail) {}

  /** A failure the CLI itself finds, with the exit code it ends with. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String kind;

    Failed(int exitCode, String kind, String detail) {
      super(detail);
      this.exitCode = exitCode;
      this.kind = kind;
    }
  }

  static Failure failure(Exception e) {
    if (e instanceof Failed failed) {
      return new Failure(failed.exitCode, failed.kind, 0, "", String.valueOf(failed.getMessage()));
    }
    if (e instanceof JsonException json) {
      return new Failure(
          UNAVAILABLE,
          "unavailable",
          0,
          "",
          "the server's answer is not what its API documents: " + json.getMessage());
    }
    if (e instanceof TallyException tally) {
      String detail =
          tally.getMessage() + (tally.type().isEmpty() ? "" : " [" + tally.type() + "]");
      return switch (tally.kind()) {
        case REFUSED -> new Failure(REFUSED, "refused", tally.status(), tally.type(), detail);
        case UNAVAILABLE ->
            new Failure(UNAVAILABLE, "unavailable", tally.status(), tally.type(), detail);
        case DEADLINE -> new Failure(DEADLINE, "deadline", tally.status(), tally.type(), detail);
      };
    }
    if (e instanceof VerificationException verification) {
      return new Failure(
          REJECTED,
          "invalid",
          0,
          verification.reason().name(),
          "invalid (" + verification.reason() + "): " + withoutReason(verification));
    }
    if (e instanceof IOException io) {
      return new Failure(LOCAL_FILE, "local-file", 0, "", LocalFiles.describe(io));
    }
    if (e instanceof GenesisException genesis) {
      return new Failure(
          LOCAL_FILE, "local-file", 0, "", "the genesis does not load: " + genesis.getMessage());
    }
    if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
      return new Failure(USAGE, "usage", 0, "", String.valueOf(e.getMessage()));
    }
    return new Failure(
        CommandLine.ExitCode.SOFTWARE,
        "bug",
        0,
        "",
        "unexpected failure, please report it: " + e.getClass().getName() + ": " + e.getMessage());
  }

  /** A verification failure's detail without the reason code its message starts with. */
  static String withoutReason(VerificationException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = e.reason().name() + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** Whether the command that ran was given {@code --json}. */
  private static boolean json(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult leaf = parseResult;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    return leaf.hasMatchedOption("--json");
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

    /** A client that tells on standard error how long it has waited, while it waits. */
    TallyClient client(CommandLine.Model.CommandSpec spec) {
      PrintWriter err = spec.commandLine().getErr();
      long[] lastSeconds = {-PROGRESS_EVERY_SECONDS};
      return client()
          .withProgress(
              (what, waited, limit) -> {
                long seconds = waited.toSeconds();
                if (lastSeconds[0] < 0) {
                  err.println("tally: waiting up to " + limit.toSeconds() + " s for " + what);
                } else if (seconds - lastSeconds[0] >= PROGRESS_EVERY_SECONDS) {
                  err.println(
                      "tally: still waiting for "
                          + what
                          + " ("
                          + seconds
                          + " s of "
                          + limit.toSeconds()
                          + " s)");
                } else {
                  return;
                }
                lastSeconds[0] = seconds;
                err.flush();
              });
    }
  }

  /** How often a wait says it still waits. */
  static final long PROGRESS_EVERY_SECONDS = 5;

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
