package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Limits;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What every command shares, in-process and without a network: help, usage errors, --json, and the
 * exit codes README documents for local files and an unreachable server.
 */
class UsageAndExitCodesTest {

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {
    JsonObject json() throws Exception {
      return JsonReader.parseObject(
          out.strip().getBytes(StandardCharsets.UTF_8), Limits.JSON_DEPTH_MAX);
    }
  }

  static Run tally(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Tally.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** Every command and subcommand, as the words that name it: [settle], [propose, add-key]. */
  static List<List<String>> commands() {
    List<List<String>> paths = new ArrayList<>();
    walk(Tally.commandLine(), new ArrayList<>(), paths);
    return paths;
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      paths.add(next);
      walk(sub.getValue(), next, paths);
    }
  }

  /** Commands that print help or a script rather than a result: no --json. */
  private static final Set<String> NO_RESULT =
      Set.of("help", "completion", "network", "propose", "key");

  @Test
  void everyCommandAndSubcommandPrintsItsHelpWithHelpAndExitsZero() {
    assertThat(commands()).hasSizeGreaterThan(25);
    for (List<String> path : commands()) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      Run help = tally(args.toArray(String[]::new));
      assertThat(help.exitCode()).as("%s --help: %s", path, help.err()).isZero();
      assertThat(help.out())
          .as("%s --help", path)
          .startsWith("Usage: tally " + String.join(" ", path));
      assertThat(help.out()).as("%s --help", path).contains("Exit codes:", "6   a local file");

      List<String> helpArgs = new ArrayList<>(List.of("help"));
      helpArgs.addAll(path);
      Run helpCommand = tally(helpArgs.toArray(String[]::new));
      assertThat(helpCommand.exitCode()).as("help %s", path).isZero();
      assertThat(helpCommand.out()).as("help %s", path).isEqualTo(help.out());
    }
  }

  @Test
  void everyCommandThatPrintsAResultTakesJson() {
    for (List<String> path : commands()) {
      CommandLine command = Tally.commandLine();
      for (String name : path) {
        command = java.util.Objects.requireNonNull(command.getSubcommands().get(name));
      }
      boolean leaf = command.getSubcommands().isEmpty();
      if (leaf && !NO_RESULT.contains(path.get(path.size() - 1))) {
        assertThat(command.getCommandSpec().findOption("--json")).as("%s --json", path).isNotNull();
      }
    }
  }

  @Test
  void helpOfNoSuchCommandIsAUsageError() {
    Run run = tally("help", "propose", "nothing");
    assertThat(run.exitCode()).isEqualTo(Tally.USAGE);
    assertThat(run.err()).contains("'propose nothing' is no command", "register-participant");
  }

  @Test
  void anUnknownOptionOrAMissingRequiredOneIsAUsageErrorNamingIt() {
    Run unknown = tally("settle", "--leg", "a:b:EUR:1", "--key", "k.key", "--no-such-option");
    assertThat(unknown.exitCode()).isEqualTo(Tally.USAGE);
    assertThat(unknown.err()).contains("Unknown option: '--no-such-option'");

    Run missing = tally("settle", "--key", "k.key");
    assertThat(missing.exitCode()).isEqualTo(Tally.USAGE);
    assertThat(missing.err()).contains("Missing required option: '--leg=LEG'");

    Run group = tally("propose");
    assertThat(group.exitCode()).isEqualTo(Tally.USAGE);
    assertThat(group.err()).contains("Usage: tally propose");
  }

  @Test
  void aMissingFileExitsSixWithItsNameAndNoJavaExceptionName() throws Exception {
    for (Run run :
        List.of(
            tally("verify-receipt", "/nonexistent", "--genesis", "/nonexistent"),
            tally("sign", "/nonexistent/instruction.json", "--key", "/nonexistent/k.key"),
            tally("settle", "--leg", "a:b:EUR:100", "--key", "/nonexistent/k.key", "--out", "x"))) {
      assertThat(run.exitCode()).as(run.err()).isEqualTo(Tally.LOCAL_FILE);
      assertThat(run.err()).contains("no such file: /nonexistent").doesNotContain("Exception");
    }
    Path key = dir.resolve("k.key");
    assertThat(tally("keygen", "--out", key.toString()).exitCode()).isZero();
    Run again = tally("keygen", "--out", key.toString());
    assertThat(again.exitCode()).isEqualTo(Tally.LOCAL_FILE);
    assertThat(again.err()).contains(key + " exists already").doesNotContain("Exception");
  }

  @Test
  void anUnreachableServerExitsFourInWordsAndAsJsonWithJson() throws Exception {
    String gateway = "http://127.0.0.1:" + closedPort();
    Run run = tally("status", "some-id", "--gateway", gateway);
    assertThat(run.exitCode()).isEqualTo(Tally.UNAVAILABLE);
    assertThat(run.err())
        .contains("cannot reach " + gateway, "connection refused")
        .doesNotContain("Exception");

    Run json = tally("status", "some-id", "--gateway", gateway, "--json");
    assertThat(json.exitCode()).isEqualTo(Tally.UNAVAILABLE);
    JsonObject error = json.json().object("error");
    assertThat(error.integer("exitCode")).isEqualTo(Tally.UNAVAILABLE);
    assertThat(error.string("kind")).isEqualTo("unavailable");
  }

  @Test
  void anIdIsSentPercentEncodedInThePath() throws Exception {
    Run run = tally("status", "bad id!", "--gateway", "http://127.0.0.1:" + closedPort());
    assertThat(run.err())
        .contains("/v1/instructions/bad%20id%21")
        .doesNotContain("Illegal character");
  }

  @Test
  void aDecimalAmountNeedsTheAssetsScaleFromTheIdentityDesk() throws Exception {
    Path key = dir.resolve("a.key");
    assertThat(tally("keygen", "--out", key.toString()).exitCode()).isZero();
    String identity = "http://127.0.0.1:" + closedPort();
    Run decimal =
        tally(
            "settle",
            "--leg",
            "a:b:7500.00 EUR",
            "--key",
            key.toString(),
            "--identity",
            identity,
            "--out",
            dir.resolve("i.json").toString());
    assertThat(decimal.exitCode()).as(decimal.err()).isEqualTo(Tally.UNAVAILABLE);
    assertThat(decimal.err()).contains("cannot reach " + identity + "/v1/assets");

    // Minor units need no scale: written offline, signed, printed as JSON.
    Path file = dir.resolve("minor.json");
    Run minor =
        tally(
            "settle",
            "--id",
            "s-1",
            "--leg",
            "a:b:EUR:750000",
            "--key",
            key.toString(),
            "--identity",
            identity,
            "--out",
            file.toString(),
            "--json");
    assertThat(minor.exitCode()).as(minor.err()).isZero();
    assertThat(minor.json().string("id")).isEqualTo("s-1");
    String payload =
        JsonReader.parseObject(Files.readAllBytes(file), Limits.JSON_DEPTH_MAX).string("payload");
    assertThat(new String(Base64Url.decode(payload), StandardCharsets.UTF_8))
        .contains("\"amount\":\"750000\"");

    Run badLeg =
        tally("settle", "--leg", "a:b:EUR", "--key", key.toString(), "--out", file.toString());
    assertThat(badLeg.exitCode()).isEqualTo(Tally.USAGE);
    assertThat(badLeg.err()).contains("a leg is debit:credit:ASSET:MINOR_UNITS");
  }

  @Test
  void keygenAndSignPrintOneJsonDocument() throws Exception {
    Path a = dir.resolve("a.key");
    Path b = dir.resolve("b.key");
    Run keygen = tally("keygen", "--out", a.toString(), "--json");
    assertThat(keygen.exitCode()).isZero();
    assertThat(keygen.json().string("kid")).isNotEmpty();
    assertThat(keygen.json().object("jwk").string("kty")).isEqualTo("OKP");
    assertThat(tally("keygen", "--out", b.toString()).exitCode()).isZero();
    Path file = dir.resolve("dvp.json");
    assertThat(
            tally(
                    "settle",
                    "--id",
                    "dvp-1",
                    "--leg",
                    "a:b:EUR:1",
                    "--leg",
                    "c:d:BOND:1",
                    "--key",
                    a.toString(),
                    "--out",
                    file.toString())
                .exitCode())
        .isZero();
    Run sign = tally("sign", file.toString(), "--key", b.toString(), "--json");
    assertThat(sign.exitCode()).as(sign.err()).isZero();
    assertThat(sign.json().array("signers", 10)).hasSize(2);
  }

  @Test
  void completionPrintsABashScriptThatCompletesEveryCommand() {
    Run run = tally("completion");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("complete -F", "settle", "verify-receipt", "events", "--follow");
  }

  /** A loopback port nothing listens on (bound, then closed). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
