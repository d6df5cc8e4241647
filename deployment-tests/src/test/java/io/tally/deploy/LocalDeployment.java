package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.TcpForwarder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts the workloads a manifest describes as local processes, as an orchestrator would start
 * their containers, so that a wrong variable name, port, path or mount in a manifest fails a test
 * instead of a deployment:
 *
 * <ul>
 *   <li>each workload gets a loopback address of its own (127.0.1.N: a pod's or container's own
 *       network namespace), and every name the manifest makes resolvable (Services, pod DNS names,
 *       compose service names) resolves to it, through a hosts file the processes' JVMs use instead
 *       of DNS ({@code -Djdk.net.hosts.file});
 *   <li>an image of this repository runs its Dockerfile ENTRYPOINT with the image's jar replaced by
 *       the module's executable jar, the image's {@code JAVA_TOOL_OPTIONS}, {@code -XX:MaxRAM} set
 *       to the container's memory limit, exactly the container's environment (no variable of this
 *       JVM leaks in), and each mount path, where a value or argument names it, replaced by the
 *       local directory holding that mount's files; the one value changed is the bind address
 *       {@code 0.0.0.0} (in a container, the container's own interfaces), which becomes the
 *       workload's address;
 *   <li>Kafka and PostgreSQL images are replaced by a real broker and a real PostgreSQL reachable
 *       on the workload's address and declared port; PostgreSQL runs the {@code *.sql} files
 *       mounted in {@code /docker-entrypoint-initdb.d}, as its image does, and a manifest that
 *       mounts none fails; a one-shot of the Kafka image runs its {@code bash -c} command with
 *       {@code kafka-topics.sh} being Kafka's own TopicCommand.
 * </ul>
 */
final class LocalDeployment implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Path work;
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private final List<AutoCloseable> servers = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Path hosts;

  LocalDeployment(Path work, List<Workload> workloads) throws IOException {
    this.work = work;
    Files.createDirectories(work.resolve("logs"));
    int next = 10;
    StringBuilder hostsFile = new StringBuilder("127.0.0.1 localhost\n");
    for (Workload workload : workloads) {
      String address = "127.0.1." + next++;
      addresses.put(workload.name(), address);
      for (String name : workload.hostnames()) {
        hostsFile.append(address).append(' ').append(name).append('\n');
      }
    }
    hosts = Files.writeString(work.resolve("hosts"), hostsFile.toString());
  }

  /** The loopback address a workload runs on. */
  String address(String workload) {
    String address = addresses.get(workload);
    assertThat(address).as("workload %s", workload).isNotNull();
    return address;
  }

  /** Starts every workload in dependency order and waits until each is ready or done. */
  void start(List<Workload> workloads, java.io.PrintStream progress) throws Exception {
    Map<String, Workload> byName = new LinkedHashMap<>();
    workloads.forEach(w -> byName.put(w.name(), w));
    List<String> done = new ArrayList<>();
    // In waves of workloads whose dependencies are ready (or done, for one-shots), the way
    // depends_on (compose) or probes and restarts (a cluster) order them.
    List<Workload> pending = new ArrayList<>(workloads);
    while (!pending.isEmpty()) {
      List<Workload> wave = new ArrayList<>();
      for (Workload workload : pending) {
        for (String dependency : workload.dependsOn()) {
          assertThat(byName)
              .as("%s depends on a workload that exists", workload.name())
              .containsKey(dependency);
        }
        if (done.containsAll(workload.dependsOn())) {
          wave.add(workload);
        }
      }
      assertThat(wave).as("workloads whose dependencies can start: %s", pending).isNotEmpty();
      for (Workload workload : wave) {
        progress.println("deploy: starting " + workload.name() + " on " + address(workload.name()));
        startOne(workload);
      }
      for (Workload workload : wave) {
        awaitReady(workload);
        progress.println("deploy: " + workload.name() + (workload.oneShot() ? " done" : " ready"));
        done.add(workload.name());
      }
      pending.removeAll(wave);
    }
  }

  private void startOne(Workload workload) throws Exception {
    String address = address(workload.name());
    if (workload.isKafka() && !workload.oneShot()) {
      assertThat(workload.ports()).as("%s declares its broker port", workload.name()).isNotEmpty();
      servers.add(LocalKafka.start(address, workload.ports().get(0)));
      return;
    }
    if (workload.isPostgres()) {
      startPostgres(workload, address);
      return;
    }
    List<String> command = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (workload.isKafka()) {
      command.addAll(kafkaOneShot(workload));
    } else {
      Repository.Image image = Repository.image();
      Path jar = Repository.jarOf(workload.image());
      for (String word : image.entrypoint()) {
        command.add(
            word.equals("java")
                ? JAVA
                : word.equals("/app/application.jar") ? jar.toString() : word);
      }
      assertThat(command).as("the image's ENTRYPOINT runs the jar").contains(jar.toString());
      if (workload.arguments() != null) {
        for (String argument : workload.arguments()) {
          command.add(rewrite(argument, workload.mounts()));
        }
      }
      String options = image.javaToolOptions() + " -Djdk.net.hosts.file=" + hosts;
      if (workload.memoryLimit() > 0) {
        options += " -XX:MaxRAM=" + workload.memoryLimit();
      }
      env.put("JAVA_TOOL_OPTIONS", options);
    }
    for (Map.Entry<String, String> variable : workload.env().entrySet()) {
      String value = rewrite(variable.getValue(), workload.mounts());
      env.put(variable.getKey(), value.equals("0.0.0.0") ? address : value);
    }
    if (workload.env().containsKey("JAVA_TOOL_OPTIONS")) {
      env.put(
          "JAVA_TOOL_OPTIONS",
          workload.env().get("JAVA_TOOL_OPTIONS") + " -Djdk.net.hosts.file=" + hosts);
    }
    Path dir = work.resolve("pods").resolve(workload.name());
    Files.createDirectories(dir);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log(workload).toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("HOME", dir.toString());
    builder.environment().putAll(env);
    processes.put(workload.name(), builder.start());
  }

  /** {@code bash -c SCRIPT} of the Kafka image with its kafka-topics.sh being TopicCommand. */
  private List<String> kafkaOneShot(Workload workload) throws IOException {
    List<String> arguments = workload.arguments();
    assertThat(arguments)
        .as("%s: a Kafka one-shot is [bash, -c, script]", workload.name())
        .isNotNull()
        .hasSize(3)
        .startsWith("bash", "-c");
    Path bin = Files.createDirectories(work.resolve("kafka-bin"));
    Path topics = bin.resolve("kafka-topics.sh");
    Files.writeString(
        topics,
        "#!/bin/sh\nexec '"
            + JAVA
            + "' -Djdk.net.hosts.file='"
            + hosts
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' org.apache.kafka.tools.TopicCommand \"$@\"\n");
    assertThat(topics.toFile().setExecutable(true)).isTrue();
    String script = arguments.get(2);
    assertThat(script).contains("/opt/kafka/bin/kafka-topics.sh");
    String rewritten = script.replace("/opt/kafka/bin/kafka-topics.sh", topics.toString());
    assertThat(rewritten)
        .as("only kafka-topics.sh of the image is available")
        .doesNotContain("/opt/kafka");
    return List.of("bash", "-c", rewritten);
  }

  private void startPostgres(Workload workload, String address) throws Exception {
    int port = workload.ports().isEmpty() ? 5432 : workload.ports().get(0);
    LocalPostgres postgres = LocalPostgres.start();
    servers.add(postgres);
    Matcher local = Pattern.compile("//([^:/]+):(\\d+)/").matcher(postgres.adminUrl());
    assertThat(local.find()).isTrue();
    servers.add(
        0,
        TcpForwarder.start(
            address,
            port,
            new InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), Integer.parseInt(local.group(2)))));
    Workload.Mount init =
        workload.mounts().stream()
            .filter(m -> m.path().equals("/docker-entrypoint-initdb.d"))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        workload.name() + " mounts nothing at /docker-entrypoint-initdb.d"));
    List<Path> scripts;
    try (Stream<Path> files = Files.list(init.source())) {
      scripts = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(scripts).as("*.sql in %s's init mount", workload.name()).isNotEmpty();
    try (Connection connection = DriverManager.getConnection(postgres.adminUrl());
        Statement statement = connection.createStatement()) {
      // Statement by statement, as psql runs them (CREATE DATABASE cannot run in a transaction).
      for (Path script : scripts) {
        for (String sql : Files.readString(script).split(";\\s*(\\n|$)", -1)) {
          String withoutComments = sql.replaceAll("(?m)^--.*$", "").strip();
          if (!withoutComments.isEmpty()) {
            statement.execute(withoutComments);
          }
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("running the init scripts of " + workload.name() + ": " + e, e);
    }
  }

  private void awaitReady(Workload workload) throws Exception {
    Process process = processes.get(workload.name());
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    if (workload.oneShot()) {
      assertThat(process).as("one-shot %s runs as a process", workload.name()).isNotNull();
      boolean ended = process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ended && process.exitValue() == 0)
          .as("%s ends with 0; its log:%n%s", workload.name(), tail(workload))
          .isTrue();
      return;
    }
    Workload.Probe probe = workload.readiness();
    if (process == null || probe == null) {
      return; // a replaced server is up when its start returns
    }
    URI uri = URI.create("http://" + address(workload.name()) + ":" + probe.port() + probe.path());
    while (true) {
      assertThat(process.isAlive())
          .as("%s exited with %s; its log:%n%s", workload.name(), exit(process), tail(workload))
          .isTrue();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertThat(System.nanoTime())
          .as(
              "%s not ready at %s within %s; its log:%n%s",
              workload.name(), uri, READY_TIMEOUT, tail(workload))
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static String exit(Process process) {
    return process.isAlive() ? "(running)" : String.valueOf(process.exitValue());
  }

  private Path log(Workload workload) {
    return work.resolve("logs").resolve(workload.name() + ".log");
  }

  private String tail(Workload workload) {
    try {
      List<String> lines = Files.readAllLines(log(workload), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * {@code value} with each mount path it names (alone, or after {@code :} or {@code =}, as in
   * {@code configtree:/tally/db/x/} or {@code file:/etc/...}) replaced by the mount's local
   * directory; longer mount paths first, so that a nested mount wins.
   */
  static String rewrite(String value, List<Workload.Mount> mounts) {
    List<Workload.Mount> longestFirst = new ArrayList<>(mounts);
    longestFirst.sort(Comparator.comparing((Workload.Mount m) -> m.path().length()).reversed());
    String result = value;
    Map<String, String> placeholders = new HashMap<>();
    int index = 0;
    for (Workload.Mount mount : longestFirst) {
      Pattern pattern = Pattern.compile("(^|[:=,])" + Pattern.quote(mount.path()) + "(?=/|$|,)");
      String placeholder = "\u0000" + index++ + "\u0000";
      placeholders.put(placeholder, mount.source().toString());
      result = pattern.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(placeholder));
    }
    for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
      result = result.replace(placeholder.getKey(), placeholder.getValue());
    }
    return result;
  }

  /** Stops every process (SIGTERM, then SIGKILL after 20 s) and every replaced server. */
  @Override
  public void close() {
    for (Process process : processes.values()) {
      process.destroy();
    }
    for (Process process : processes.values()) {
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    for (AutoCloseable server : servers) {
      try {
        server.close();
      } catch (Exception e) {
        // stopping the rest anyway
      }
    }
  }
}
