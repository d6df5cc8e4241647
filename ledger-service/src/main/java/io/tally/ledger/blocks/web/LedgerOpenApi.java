package io.tally.ledger.blocks.web;

import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ServiceApi;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The read API's OpenAPI document (served at {@code /v3/api-docs}, committed as {@code
 * docs/openapi/ledger-service.json}) and every Problem Details type it can answer: the common ones,
 * {@code not-found} ({@link ProblemAdvice}) and {@code internal-only} ({@link
 * InternalClientsOnly}).
 */
@Configuration(proxyBeanMethods = false)
class LedgerOpenApi {

  static final String CHAIN = "chain";
  static final String ACCOUNTS = "accounts";
  static final String AUDIT = "audit";

  /** Every operation of the read API: a client outside {@code read-api.clients} gets 403. */
  static final String INTERNAL_ONLY = "internal-only";

  @Bean
  ServiceApi ledgerApi() {
    return new ServiceApi(
        "Tally ledger-service",
        "The read API of one ledger replica: certified blocks, committed entries with their Merkle"
            + " inclusion proofs, accounts with balances and postings, and the auditors' reads."
            + " It shows every participant's data, so it answers only the network's own services"
            + " (tally.ledger.read-api.clients, loopback by default; ADR 0014): participants read"
            + " through the gateway with access tokens. Amounts are decimal strings of minor"
            + " units (ADR 0015).",
        List.of(
            ServiceApi.server(
                "http://127.0.0.1:8090", "ledger-service at its default address and port")),
        List.of(
            ServiceApi.tag(CHAIN, "Certified blocks and committed entries with their proofs"),
            ServiceApi.tag(ACCOUNTS, "Accounts, balances and postings as committed"),
            ServiceApi.tag(
                AUDIT, "The auditors' reads (docs/audit-api.md); every list also as CSV")));
  }

  @Bean
  ProblemCatalog ledgerProblems() {
    return ProblemCatalog.common()
        .with(
            "NOT_FOUND",
            HttpStatus.NOT_FOUND.value(),
            "No block, entry or account by this key in the committed ledger (maybe not final yet).")
        .with(
            INTERNAL_ONLY,
            HttpStatus.FORBIDDEN.value(),
            "The client's address is not in tally.ledger.read-api.clients: the read API answers"
                + " the network's own services only.");
  }
}
