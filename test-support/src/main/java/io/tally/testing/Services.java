package io.tally.testing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs a Tally service as a Spring application inside a test, on a free port, on a broker. */
public final class Services {

  private Services() {}

  /**
   * Starts {@code application} (a service's {@code builder()}) with {@code properties} passed as
   * command-line arguments, so that they win over the service's own {@code <service>.yml}.
   */
  public static ConfigurableApplicationContext run(
      SpringApplicationBuilder application, LocalKafka kafka, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
    all.putIfAbsent("server.port", "0");
    // Tests read the health details (heights, evidence); deployments show them to nobody.
    all.putIfAbsent("management.endpoint.health.show-details", "always");
    return application.run(
        all.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new));
  }

  /** The HTTP port a service started by {@link #run} listens on. */
  public static int port(ConfigurableApplicationContext service) {
    String port = service.getEnvironment().getProperty("local.server.port");
    if (port == null) {
      throw new IllegalStateException("the service has no web server");
    }
    return Integer.parseInt(port);
  }
}
