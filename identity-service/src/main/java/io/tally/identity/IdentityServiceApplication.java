package io.tally.identity;

import io.tally.service.health.ServiceHealth;
import io.tally.service.web.ProblemWeb;
import io.tally.service.web.openapi.ServiceOpenApi;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** One identity-service instance of a Tally network. */
@SpringBootApplication
// Every error as Problem Details with a stable type, alike in every service (service-support), and
// the OpenAPI document's shared parts (docs/openapi/identity-service.json).
@Import({ProblemWeb.class, ServiceHealth.class, ServiceOpenApi.class})
@ConfigurationPropertiesScan
public class IdentityServiceApplication {

  public static void main(String[] args) {
    builder().run(args);
  }

  /**
   * The application with its configuration file named {@code identity-service.yml} rather than
   * {@code application.yml}, so that several services can share one classpath (tests, devstack).
   */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(IdentityServiceApplication.class)
        .properties("spring.config.name=identity-service");
  }
}
