package io.tally.devstack;

import io.tally.client.NetworkGenerator;
import io.tally.protocol.genesis.Role;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a whole Tally network on this machine and keeps it running until Ctrl-C.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -f devstack exec:exec                # run directory: ./tally-run
 * </pre>
 *
 * Options: {@code --demo} (after start, onboard two banks and two assets through governance, issue
 * funds, settle a delivery versus payment and verify its receipt: see {@link Demo}), {@code --dir
 * PATH} (run directory, default {@code tally-run}; keys and genesis are generated afresh each run),
 * {@code --postgres JDBC-URL} (an existing server whose user may create databases; default: the
 * {@code TALLY_POSTGRES_URL} environment variable, else an embedded PostgreSQL). Each service logs
 * to {@code <dir>/logs/<service>.log}.
 */
public final class Devstack {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Path dir;
  private final Ports ports = Ports.system();
  private final List<Service> services = java.util.Collections.synchronizedList(new ArrayList<>());

  /** A started service process and how to start it again. */
  private record Service(String name, int port, List<String> command, Process process) {}

  private volatile boolean up;
  private volatile boolean stopping;

  private Devstack(Path dir) {
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(option(args, "--dir", "tally-run")).toAbsolutePath();
    String postgresUrl =
        option(args, "--postgres", System.getenv().getOrDefault("TALLY_POSTGRES_URL", ""));
    Files.createDirectories(dir.resolve("logs"));
    System.out.println("tally devstack: run directory " + dir);
    try (LocalKafka kafka = LocalKafka.start();
        LocalPostgres postgres =
            postgresUrl.isEmpty() ? LocalPostgres.start() : LocalPostgres.attach(postgresUrl)) {
      System.out.println("  kafka      " + kafka.bootstrapServers() + " (KRaft, in process)");
      System.out.println(
          "  postgresql "
              + (postgresUrl.isEmpty() ? "embedded, " : "configured, ")
              + postgres.adminUrl().replaceAll("password=[^&]*", "password=***"));
      Devstack devstack = new Devstack(dir);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    devstack.stopAll();
                    stopped.countDown();
                  },
                  "devstack-stop"));
      devstack.start(kafka, postgres);
      if (flag(args, "--demo")) {
        devstack.demo();
      }
      stopped.await();
    }
  }

  private void start(LocalKafka kafka, LocalPostgres postgres) throws Exception {
    Network network = Network.generate(dir);
    String genesis = dir.resolve("network.json").toString();
    Map<String, String> common = new LinkedHashMap<>();
    common.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    // A local network shows its health details (heights, evidence, errors) to whoever asks.
    common.put("management.endpoint.health.show-details", "always");

    Map<String, String> identity = new LinkedHashMap<>(common);
    identity.put("spring.datasource.url", postgres.createDatabase("tally_identity"));
    identity.put("tally.identity.genesis-file", genesis);
    identity.put("tally.identity.instance-id", "identity-1");
    identity.put("tally.identity.instance-key-file", network.keyFile("identity-1").toString());
    identity.put("tally.identity.snapshot-dir", dir.resolve("snapshots/identity").toString());
    launch("identity", "io.tally.identity.IdentityServiceApplication", identity);

    for (int i = 1; i <= 4; i++) {
      Map<String, String> validator = new LinkedHashMap<>(common);
      validator.put("spring.datasource.url", postgres.createDatabase("tally_validator_" + i));
      validator.put("tally.validator.genesis-file", genesis);
      validator.put("tally.validator.validator-id", "validator-" + i);
      validator.put(
          "tally.validator.validator-key-file", network.keyFile("validator-" + i).toString());
      validator.put("tally.validator.instance-id", "validator-" + i + "-instance");
      validator.put(
          "tally.validator.instance-key-file",
          network.keyFile("validator-" + i + "-instance").toString());
      validator.put("tally.validator.verifier-threads", "1");
      launch("validator-" + i, "io.tally.validator.ValidatorServiceApplication", validator);
    }

    Map<String, String> ledger = new LinkedHashMap<>(common);
    ledger.put("spring.datasource.url", postgres.createDatabase("tally_ledger"));
    ledger.put("tally.ledger.genesis-file", genesis);
    ledger.put("tally.ledger.instance-id", "ledger-1");
    ledger.put("tally.ledger.instance-key-file", network.keyFile("ledger-1").toString());
    launch("ledger", "io.tally.ledger.LedgerServiceApplication", ledger);

    Map<String, String> gateway = new LinkedHashMap<>(common);
    gateway.put("tally.gateway.genesis-file", genesis);
    gateway.put("tally.gateway.instance-id", "gateway-1");
    gateway.put("tally.gateway.instance-key-file", network.keyFile("gateway-1").toString());
    gateway.put("tally.gateway.snapshot-dir", dir.resolve("snapshots/gateway").toString());
    gateway.put(
        "tally.gateway.ledger-url", "http://127.0.0.1:" + services.get(services.size() - 1).port());
    launch("gateway", "io.tally.gateway.GatewayServiceApplication", gateway);

    awaitHealthy();
    up = true;
    System.out.println();
    System.out.println("tally devstack is up (Ctrl-C stops everything):");
    for (Service service : services) {
      System.out.printf(
          "  %-12s http://127.0.0.1:%d  (health: /actuator/health, log: %s)%n",
          service.name(), service.port(), dir.resolve("logs/" + service.name() + ".log"));
    }
    System.out.println("  genesis      " + genesis);
    System.out.println(
        "  keys         " + dir.resolve("keys") + " (administrators admin-1..3, g = 2)");
    System.out.println();
    System.out.println("Try:");
    Service identityService = services.get(0);
    Service ledgerService = services.get(services.size() - 2);
    Service gatewayService = services.get(services.size() - 1);
    System.out.println(
        "  curl http://127.0.0.1:" + identityService.port() + "/v1/network/validators/jwks");
    System.out.println(
        "  curl http://127.0.0.1:" + identityService.port() + "/swagger-ui/index.html");
    System.out.println("  curl http://127.0.0.1:" + ledgerService.port() + "/v1/blocks/head");
    System.out.println(
        "  curl -X POST -H 'Content-Type: application/jose+json' --data @instruction.json"
            + " http://127.0.0.1:"
            + gatewayService.port()
            + "/v1/instructions");
    String gatewayUrl = "http://127.0.0.1:" + gatewayService.port();
    String identityUrl = "http://127.0.0.1:" + identityService.port();
    Files.writeString(
        dir.resolve("env"),
        "export TALLY_GATEWAY="
            + gatewayUrl
            + "\nexport TALLY_IDENTITY="
            + identityUrl
            + "\nexport TALLY_LEDGER=http://127.0.0.1:"
            + ledgerService.port()
            + "\nexport TALLY_GENESIS="
            + genesis
            + "\n");
    System.out.println(
        "  . " + dir.resolve("env") + "   # then the CLI finds the network: ./tally --help");
    System.out.println("devstack: network up");
  }

  private void demo() {
    Service identityService = services.get(0);
    Service gatewayService = services.get(services.size() - 1);
    try {
      new Demo(
              dir,
              URI.create("http://127.0.0.1:" + gatewayService.port()),
              URI.create("http://127.0.0.1:" + identityService.port()),
              System.out)
          .run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.out.println("devstack: demo failed: " + e);
    }
  }

  private void launch(String name, String mainClass, Map<String, String> properties)
      throws IOException {
    int port = ports.next();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.add("--server.port=" + port);
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    Path log = dir.resolve("logs/" + name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Service service = new Service(name, port, command, process);
    services.add(service);
    System.out.println("  started " + name + " (pid " + process.pid() + ", port " + port + ")");
    superviseLater(service);
  }

  /**
   * Restarts a service whose process ends while the devstack runs (a crash, or {@code kill -9} in a
   * fault test), as Kubernetes would restart a pod: same command, port and database, so it resumes
   * from its own persisted state.
   */
  private void superviseLater(Service service) {
    var unused =
        service
            .process()
            .onExit()
            .thenRun(
                () -> {
                  if (stopping || !up) {
                    return; // while starting, awaitHealthy reports the exit instead
                  }
                  System.out.println(
                      "devstack: "
                          + service.name()
                          + " exited with "
                          + service.process().exitValue()
                          + "; restarting it");
                  try {
                    Path log = dir.resolve("logs/" + service.name() + ".log");
                    Process process =
                        new ProcessBuilder(service.command())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .start();
                    Service restarted =
                        new Service(service.name(), service.port(), service.command(), process);
                    synchronized (services) {
                      services.set(services.indexOf(service), restarted);
                    }
                    System.out.println(
                        "  restarted " + service.name() + " (pid " + process.pid() + ")");
                    superviseLater(restarted);
                  } catch (IOException e) {
                    System.out.println(
                        "devstack: cannot restart " + service.name() + ": " + e.getMessage());
                  }
                });
  }

  private void awaitHealthy() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (Service service : services) {
      while (!healthy(http, service)) {
        if (!service.process().isAlive()) {
          throw new IllegalStateException(
              service.name()
                  + " exited with "
                  + service.process().exitValue()
                  + "; see "
                  + dir.resolve("logs/" + service.name() + ".log"));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              service.name() + " not healthy after " + START_TIMEOUT + "; see its log");
        }
        Thread.sleep(500);
      }
      System.out.println("  " + service.name() + " is healthy");
    }
  }

  private static boolean healthy(HttpClient http, Service service) throws InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + service.port() + "/actuator/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private void stopAll() {
    stopping = true;
    System.out.println("devstack: stopping");
    List<Service> running;
    synchronized (services) {
      running = List.copyOf(services);
    }
    for (Service service : running) {
      service.process().destroy(); // SIGTERM: Spring shuts down gracefully
    }
    for (Service service : running) {
      try {
        if (!service.process().waitFor(20, TimeUnit.SECONDS)) {
          service.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        service.process().destroyForcibly();
      }
    }
    System.out.println("devstack: stopped");
  }

  /** The value of {@code --name value} or {@code --name=value}. */
  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith(name + "=")) {
        return args[i].substring(name.length() + 1);
      }
      if (args[i].equals(name) && i + 1 < args.length) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** Whether {@code --name} or {@code --name=true} is given. */
  private static boolean flag(String[] args, String name) {
    return List.of(args).contains(name) || option(args, name, "false").equals("true");
  }

  /** The genesis and keys generated for one run. */
  private record Network(Path keys) {

    Path keyFile(String id) {
      return keys.resolve(id + ".key");
    }

    static Network generate(Path dir) throws IOException {
      Path keys = dir.resolve("keys");
      if (Files.exists(keys)) {
        try (var files = Files.list(keys)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
      }
      List<String> validators = new ArrayList<>();
      List<NetworkGenerator.InstanceSpec> instances = new ArrayList<>();
      List<String> administrators = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        validators.add("validator-" + i);
        instances.add(
            new NetworkGenerator.InstanceSpec("validator-" + i + "-instance", Role.VALIDATOR));
      }
      instances.add(new NetworkGenerator.InstanceSpec("gateway-1", Role.GATEWAY));
      instances.add(new NetworkGenerator.InstanceSpec("identity-1", Role.IDENTITY));
      instances.add(new NetworkGenerator.InstanceSpec("ledger-1", Role.LEDGER));
      for (int i = 1; i <= 3; i++) {
        administrators.add("admin-" + i);
      }
      NetworkGenerator.generate(
          dir,
          new NetworkGenerator.Layout("tally-local", validators, instances, administrators, 2));
      return new Network(keys);
    }
  }
}
