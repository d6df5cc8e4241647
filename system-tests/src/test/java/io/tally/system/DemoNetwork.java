package io.tally.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.genesis.Genesis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network as a user runs it, for the system tests: the devstack with {@code --demo} as a
 * process of its own (Kafka and PostgreSQL, then identity, 4 validators, ledger and gateway as
 * separate processes, the demo's participants, assets and settlements), its output followed, and
 * the {@code tally} CLI's executable jar run against it.
 */
final class DemoNetwork {

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern STARTED =
      Pattern.compile("\\s+(?:re)?started (\\S+) \\(pid (\\d+)(?:, port (\\d+))?\\)");

  /** What a CLI run printed (stdout and stderr) and its exit code. */
  record Cli(int exitCode, String output) {}

  final Path dir;
  final Genesis genesis;
  final URI gateway;
  final URI identity;
  final URI ledger;
  private final Process devstack;
  private final List<String> lines;

  private DemoNetwork(
      Path dir, Process devstack, List<String> lines, Genesis genesis, Properties env) {
    this.dir = dir;
    this.devstack = devstack;
    this.lines = lines;
    this.genesis = genesis;
    this.gateway = URI.create(env.getProperty("TALLY_GATEWAY"));
    this.identity = URI.create(env.getProperty("TALLY_IDENTITY"));
    this.ledger = URI.create(env.getProperty("TALLY_LEDGER"));
  }

  /** Starts the devstack with its demo and returns once the demo is done. */
  static DemoNetwork start(String name) throws Exception {
    Path dir = Files.createTempDirectory("tally-" + name + "-");
    Process devstack =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.tally.devstack.Devstack",
                "--dir",
                dir.toString(),
                "--demo")
            .redirectErrorStream(true)
            .start();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(devstack.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  System.out.println("[devstack] " + line); // progress in the build output
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process ended.
              }
            },
            "devstack-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
    while (!printed(lines, "devstack: demo done")) {
      if (printed(lines, "devstack: demo failed")
          || !devstack.isAlive()
          || System.nanoTime() > deadline) {
        stop(devstack);
        throw new AssertionError("the devstack's demo did not finish in time: " + lines);
      }
      Thread.sleep(250);
    }
    Properties env = new Properties();
    for (String line : Files.readAllLines(dir.resolve("env"))) {
      String[] pair = line.replace("export ", "").split("=", 2);
      env.setProperty(pair[0], pair[1]);
    }
    return new DemoNetwork(dir, devstack, lines, Genesis.load(dir.resolve("network.json")), env);
  }

  /** Whether the devstack printed a line containing {@code text}. */
  boolean printed(String text) {
    return printed(lines, text);
  }

  private static boolean printed(List<String> lines, String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(line -> line.contains(text));
    }
  }

  /** The process id of {@code service}'s newest process (after a restart, the new one). */
  long pid(String service) {
    return Long.parseLong(started(service, 2));
  }

  /** The port {@code service} listens on. */
  int port(String service) {
    synchronized (lines) {
      for (String line : lines) {
        Matcher matcher = STARTED.matcher(line);
        if (matcher.matches() && matcher.group(1).equals(service) && matcher.group(3) != null) {
          return Integer.parseInt(matcher.group(3));
        }
      }
    }
    throw new AssertionError(service + " was not started");
  }

  private String started(String service, int group) {
    String found = null;
    synchronized (lines) {
      for (String line : lines) {
        Matcher matcher = STARTED.matcher(line);
        if (matcher.matches() && matcher.group(1).equals(service)) {
          found = matcher.group(group);
        }
      }
    }
    if (found == null) {
      throw new AssertionError(service + " was not started");
    }
    return found;
  }

  /** {@code tally verify-receipt FILE --genesis network.json} of the run directory. */
  Cli verifyReceipt(Path file, String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify-receipt",
                file.toString(),
                "--genesis",
                dir.resolve("network.json").toString()));
    args.addAll(List.of(options));
    return cli(args.toArray(String[]::new));
  }

  /** The {@code tally} CLI, as a process of its own. */
  Cli cli(String... args) throws Exception {
    Path jar = Path.of(System.getProperty("tally.cli.jar", "../cli/target/tally-exec.jar"));
    assertThat(jar).as("build the CLI first: mvn install -pl cli").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Cli(process.exitValue(), output);
  }

  /** Stops the devstack and every service it started. */
  void close() throws InterruptedException {
    stop(devstack);
  }

  private static void stop(Process devstack) throws InterruptedException {
    List<ProcessHandle> services = devstack.descendants().toList();
    devstack.destroy();
    if (!devstack.waitFor(90, TimeUnit.SECONDS)) {
      devstack.destroyForcibly();
    }
    services.forEach(ProcessHandle::destroyForcibly);
  }
}
