package io.tally.testing.network;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a {@link Node} as a Spring application in this JVM (tests, the network benchmark). The
 * caller passes the service's application, its {@code builder()}: test-support cannot depend on the
 * services, whose tests depend on it.
 */
public final class InProcess {

  private InProcess() {}

  /**
   * Runs {@code application} (a service's {@code builder()}) with the node's properties as
   * command-line arguments, on a free port of the service's address (127.0.0.1 by default) unless
   * the node names one; returns once it has started.
   */
  public static ConfigurableApplicationContext start(
      SpringApplicationBuilder application, Node node) {
    List<String> arguments = new ArrayList<>();
    if (!node.properties().containsKey("server.port")) {
      arguments.add("--server.port=0");
    }
    arguments.addAll(node.arguments());
    return application.run(arguments.toArray(String[]::new));
  }

  /** The HTTP port a service started by {@link #start} listens on. */
  public static int port(ConfigurableApplicationContext service) {
    String port = service.getEnvironment().getProperty("local.server.port");
    if (port == null) {
      throw new IllegalStateException("the service has no web server");
    }
    return Integer.parseInt(port);
  }
}
