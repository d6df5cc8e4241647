package io.tally.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ManagementAddressTest {

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new ManagementAddress().postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void aManagementPortOfItsOwnListensOnTheApisAddress() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", "8080");
    properties.put("management.server.port", "8081");
    assertThat(environment(properties).getProperty("management.server.address"))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void anExplicitManagementAddressWins() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("management.server.port", "8081");
    properties.put("management.server.address", "10.1.2.3");
    assertThat(environment(properties).getProperty("management.server.address"))
        .isEqualTo("10.1.2.3");
  }

  @Test
  void withoutAPortOfItsOwnNoManagementAddressIsSet() {
    // Boot refuses a management address on the API's own port.
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", "8080");
    assertThat(environment(properties).containsProperty("management.server.address")).isFalse();
    properties.put("management.server.port", "8080");
    assertThat(environment(properties).containsProperty("management.server.address")).isFalse();
  }
}
