package io.tally.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One gateway instance of a Tally network. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayServiceApplication {

  public static void main(String[] args) {
    builder().run(args);
  }

  /**
   * The application with its configuration file named {@code gateway-service.yml} rather than
   * {@code application.yml}, so that several services can share one classpath (tests, devstack).
   */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(GatewayServiceApplication.class)
        .properties("spring.config.name=gateway-service");
  }
}
