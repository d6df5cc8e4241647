package io.tally.devstack;

import io.tally.client.NetworkGenerator;
import io.tally.gateway.GatewayServiceApplication;
import io.tally.identity.IdentityServiceApplication;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.protocol.genesis.Role;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.NetworkPlan;
import io.tally.testing.network.Node;
import io.tally.testing.network.NodeProcess;
import io.tally.testing.network.NodeProcesses;
import io.tally.validator.ValidatorServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

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
  private final NodeProcesses processes;
  private final List<NodeProcess> services =
      java.util.Collections.synchronizedList(new ArrayList<>());

  private volatile boolean up;
  private volatile boolean stopping;

  private Devstack(Path dir) {
    this.dir = dir;
    this.processes = new NodeProcesses(dir.resolve("logs"));
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
    generateNetwork(dir);
    NetworkPlan plan =
        NetworkPlan.in(dir)
            .kafka(kafka.bootstrapServers())
            .databases(name -> postgres.createDatabase("tally_" + name))
            .build();
    String genesis = plan.genesisFile().toString();

    launch(
        "identity",
        IdentityServiceApplication.class,
        plan.identity("identity-1")
            .with("tally.identity.snapshot-dir", dir.resolve("snapshots/identity").toString()));
    for (int i = 1; i <= 4; i++) {
      launch(
          "validator-" + i,
          ValidatorServiceApplication.class,
          plan.validator(i).with("tally.validator.verifier-threads", "1"));
    }
    NodeProcess ledgerProcess =
        launch("ledger", LedgerServiceApplication.class, plan.ledger("ledger-1"));
    launch(
        "gateway",
        GatewayServiceApplication.class,
        plan.gateway("gateway-1", "http://127.0.0.1:" + ledgerProcess.port())
            .with("tally.gateway.snapshot-dir", dir.resolve("snapshots/gateway").toString()));

    awaitHealthy();
    up = true;
    System.out.println();
    System.out.println("tally devstack is up (Ctrl-C stops everything):");
    for (NodeProcess service : services) {
      System.out.printf(
          "  %-12s http://127.0.0.1:%d  (health: /actuator/health, log: %s)%n",
          service.name(), service.port(), service.log());
    }
    System.out.println("  genesis      " + genesis);
    System.out.println(
        "  keys         " + dir.resolve("keys") + " (administrators admin-1..3, g = 2)");
    System.out.println();
    System.out.println("Try:");
    NodeProcess identityService = services.get(0);
    NodeProcess ledgerService = services.get(services.size() - 2);
    NodeProcess gatewayService = services.get(services.size() - 1);
    System.out.println(
        "  curl http://127.0.0.1:" + identityService.port() + "/v1/network/validators/jwks");
    System.out.println(
        "  curl http://127.0.0.1:" + identityService.port() + "/swagger-ui/index.html");
    System.out.println("  curl http://127.0.0.1:" + ledgerService.port() + "/v1/blocks/head");
    // The instruction file is written by the CLI first: a signed settlement of the demo's bank-a.
    Path instruction = dir.resolve("instruction.json");
    System.out.println(
        "  ./tally settle --leg a-eur:b-eur:EUR:100 --key "
            + dir.resolve("keys/bank-a.key")
            + " --out "
            + instruction
            + "   # with the demo");
    System.out.println(
        "  curl -X POST -H 'Content-Type: application/jose+json' --data @"
            + instruction
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
    NodeProcess identityService = services.get(0);
    NodeProcess gatewayService = services.get(services.size() - 1);
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

  private NodeProcess launch(String name, Class<?> application, Node node) throws IOException {
    NodeProcess service = processes.start(name, application, node);
    services.add(service);
    System.out.println(
        "  started "
            + name
            + " (pid "
            + service.process().pid()
            + ", port "
            + service.port()
            + ")");
    superviseLater(service);
    return service;
  }

  /**
   * Restarts a service whose process ends while the devstack runs (a crash, or {@code kill -9} in a
   * fault test), as Kubernetes would restart a pod: same command, port and database, so it resumes
   * from its own persisted state.
   */
  private void superviseLater(NodeProcess service) {
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
                    NodeProcess restarted = service.restart();
                    synchronized (services) {
                      services.set(services.indexOf(service), restarted);
                    }
                    System.out.println(
                        "  restarted "
                            + service.name()
                            + " (pid "
                            + restarted.process().pid()
                            + ")");
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
    for (NodeProcess service : services) {
      while (!healthy(http, service)) {
        if (!service.process().isAlive()) {
          throw new IllegalStateException(
              service.name()
                  + " exited with "
                  + service.process().exitValue()
                  + "; see "
                  + service.log());
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

  private static boolean healthy(HttpClient http, NodeProcess service) throws InterruptedException {
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
    List<NodeProcess> running;
    synchronized (services) {
      running = List.copyOf(services);
    }
    NodeProcesses.stop(running, Duration.ofSeconds(20)); // SIGTERM: Spring shuts down gracefully
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

  /**
   * A fresh network for this run, as {@code tally network init} makes one: {@code network.json}
   * ({@code tally-local}: validators 1 to 4 with q = 3, administrators admin-1..3 with g = 2, one
   * instance per process) and every private key in {@code keys/}, the previous run's deleted.
   */
  private static void generateNetwork(Path dir) throws IOException {
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
        dir, new NetworkGenerator.Layout("tally-local", validators, instances, administrators, 2));
  }
}
