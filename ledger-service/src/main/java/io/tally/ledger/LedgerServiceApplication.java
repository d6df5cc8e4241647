package io.tally.ledger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One ledger replica of a Tally network. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LedgerServiceApplication {

  public static void main(String[] args) {
    builder().run(args);
  }

  /**
   * The application with its configuration file named {@code ledger-service.yml} rather than {@code
   * application.yml}, so that several services can share one classpath (tests, devstack).
   */
  public static SpringApplicationBuilder builder() {
    return new SpringApplicationBuilder(LedgerServiceApplication.class)
        .properties("spring.config.name=ledger-service");
  }
}
