package io.tally.service.health;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The {@code broker} health indicator, imported by every service's application class. */
@Configuration(proxyBeanMethods = false)
public class ServiceHealth {

  @Bean(destroyMethod = "close")
  BrokerHealth brokerHealthIndicator(KafkaAdmin admin) {
    return new BrokerHealth(admin.getConfigurationProperties(), Clock.systemUTC());
  }
}
