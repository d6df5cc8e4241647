package io.tally.ledger.blocks.web;

import io.tally.ledger.blocks.infrastructure.AuditReads;
import io.tally.ledger.config.ReadApiProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;

/** The read API's access rule: internal clients only (ADR 0014). */
@Configuration(proxyBeanMethods = false)
class ReadApiConfiguration {

  @Bean
  FilterRegistrationBean<InternalClientsOnly> internalClientsOnly(ReadApiProperties readApi) {
    FilterRegistrationBean<InternalClientsOnly> registration =
        new FilterRegistrationBean<>(new InternalClientsOnly(readApi.clients()));
    // Right after the request syntax check, before anything reads a parameter.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    registration.addUrlPatterns("/*"); // everything but probes and metrics: see the filter
    return registration;
  }

  @Bean
  AuditReads auditReads(JdbcTemplate jdbc) {
    return new AuditReads(jdbc);
  }
}
