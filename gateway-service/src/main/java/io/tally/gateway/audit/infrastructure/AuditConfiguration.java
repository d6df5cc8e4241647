package io.tally.gateway.audit.infrastructure;

import io.tally.gateway.audit.application.AuditReads;
import io.tally.gateway.config.GatewayProperties;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auditors' reads, from the ledger replica the gateway already builds receipts from. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

  /** A search over a million entries answers in well under a second; 10 s bounds a slow one. */
  private static final Duration LEDGER_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  AuditReads auditReads(GatewayProperties properties) {
    return new AuditReads(new HttpLedgerAudit(properties.ledgerUrl(), LEDGER_TIMEOUT));
  }
}
