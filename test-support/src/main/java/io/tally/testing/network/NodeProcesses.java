package io.tally.testing.network;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@link Node} as a separate process (the devstack): {@code java -Xmx512m -cp <this JVM's
 * classpath, or the one given> <application> --server.port=<port> --key=value...}, output and
 * errors to {@code <logs>/<name>.log}. Each node gets a loopback port of its own, never handed out
 * twice ({@link Ports}); the service binds its address (127.0.0.1 by default).
 */
public final class NodeProcesses {

  private static final String HEAP_MAX = "-Xmx512m";

  private final Path logs;
  private final String classPath;
  private final Ports ports = Ports.system();

  /** Processes on this JVM's classpath, logging to {@code logs} (an existing directory). */
  public NodeProcesses(Path logs) {
    this(logs, System.getProperty("java.class.path"));
  }

  /**
   * Processes on {@code classPath} (for a program whose classes are not on {@code java.class.path},
   * such as one run by {@code mvn exec:java}), logging to {@code logs}.
   */
  public NodeProcesses(Path logs, String classPath) {
    this.logs = logs;
    this.classPath = classPath;
  }

  /**
   * Starts {@code application} (a service's main class, on this JVM's classpath) as node {@code
   * name} with {@code node}'s properties; returns at once, before the service is up.
   */
  public NodeProcess start(String name, Class<?> application, Node node) throws IOException {
    int port = ports.next();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP_MAX);
    command.add("-cp");
    command.add(classPath);
    command.add(application.getName());
    command.add("--server.port=" + port);
    command.addAll(node.arguments());
    Path log = logs.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new NodeProcess(name, port, command, log, process);
  }

  /**
   * Stops every one of {@code running}: a termination signal to all (Spring shuts down gracefully),
   * then, for each, a forced stop if it has not ended within {@code grace}.
   */
  public static void stop(List<NodeProcess> running, Duration grace) {
    for (NodeProcess node : running) {
      node.process().destroy();
    }
    for (NodeProcess node : running) {
      try {
        if (!node.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          node.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        node.process().destroyForcibly();
      }
    }
  }
}
