package io.tally.validator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** One validator of a Tally network. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ValidatorServiceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ValidatorServiceApplication.class, args);
  }
}
