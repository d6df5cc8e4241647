package io.tally.service.web;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Binds Actuator's own port (when {@code management.server.port} sets one) to the API's address
 * ({@code server.address}) unless {@code management.server.address} says otherwise. Boot would bind
 * it to every interface, so a service told to listen on loopback would still expose its health and
 * metrics to the network; Boot also refuses a management address without a port of its own, so the
 * services' configuration files cannot simply name one.
 */
public final class ManagementAddress implements EnvironmentPostProcessor, Ordered {

  static final String SOURCE = "tallyManagementAddress";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String port = environment.getProperty("management.server.port");
    String address = environment.getProperty("server.address");
    if (port == null
        || address == null
        || port.equals("-1")
        || port.equals(environment.getProperty("server.port"))
        || environment.containsProperty("management.server.address")) {
      return;
    }
    environment
        .getPropertySources()
        .addLast(new MapPropertySource(SOURCE, Map.of("management.server.address", address)));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read
  }
}
