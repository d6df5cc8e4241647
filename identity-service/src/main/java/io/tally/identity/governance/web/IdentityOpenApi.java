package io.tally.identity.governance.web;

import io.tally.identity.governance.domain.Refusal;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ServiceApi;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * The desk's OpenAPI document (served at {@code /v3/api-docs}, committed as {@code
 * docs/openapi/identity-service.json}): what it says about the API, and every Problem Details type
 * the desk can answer, with the status {@link ProblemAdvice} gives it.
 */
@Configuration(proxyBeanMethods = false)
class IdentityOpenApi {

  static final String GOVERNANCE = "governance";
  static final String DIRECTORY = "directory";
  static final String NETWORK = "network";

  @Bean
  ServiceApi identityApi() {
    return new ServiceApi(
        "Tally identity-service",
        "The governance desk and key directory of a Tally network. Anyone proposes a governance"
            + " change (the exact payload bytes, base64url, with the proof of possession of every"
            + " key it brings in); administrators approve it with compact JWSs over those bytes;"
            + " the approval that reaches the genesis' threshold `g` publishes it to the log, and"
            + " the validators decide. The directory shows participants, their keys and the"
            + " assets as of the last certified block. Request bodies are at most 1 MiB.",
        List.of(
            ServiceApi.server(
                "http://127.0.0.1:8070", "identity-service at its default address and port")),
        List.of(
            ServiceApi.tag(GOVERNANCE, "Proposals and their approvals"),
            ServiceApi.tag(DIRECTORY, "Participants, their keys and the assets, as certified"),
            ServiceApi.tag(NETWORK, "The genesis and the validators' keys")));
  }

  @Bean
  ProblemCatalog identityProblems() {
    return catalog();
  }

  /** Every type the desk answers: the common ones, each refusal's, {@code not-certified}. */
  static ProblemCatalog catalog() {
    ProblemCatalog catalog = ProblemCatalog.common();
    for (Refusal.Reason reason : Refusal.Reason.values()) {
      catalog = catalog.with(reason.name(), ProblemAdvice.status(reason).value(), describe(reason));
    }
    return catalog.with(
        "NOT_CERTIFIED",
        HttpStatus.SERVICE_UNAVAILABLE.value(),
        "The directory's replica holds a block whose certificate has not arrived yet (reads wait"
            + " at most 5 s): ask again after Retry-After.",
        HttpHeaders.RETRY_AFTER);
  }

  /** One sentence per rule; a new reason does not compile without its own. */
  static String describe(Refusal.Reason reason) {
    return switch (reason) {
      case MALFORMED ->
          "Not base64url, not JSON, a missing member, or a payload the network would refuse.";
      case KEY_POSSESSION_UNPROVEN ->
          "A key the change registers, adds or rotates in did not sign the payload.";
      case EXPIRED -> "The payload's notAfter has passed.";
      case NOT_AFTER_TOO_FAR ->
          "The payload's notAfter lies more than the network's governance window (30 days)"
              + " ahead.";
      case SIGNATURE_INVALID ->
          "A signature does not verify, or signs other bytes than the proposal's payload.";
      case NOT_AN_ADMINISTRATOR ->
          "The approval is signed by a key that is not a governance key of the genesis.";
      case ALREADY_APPROVED -> "This administrator already approved this proposal.";
      case ID_CONFLICT -> "A proposal with this id but other content exists.";
      case UNKNOWN_PROPOSAL -> "No proposal has this id.";
      case UNKNOWN_PARTICIPANT -> "No certified block registers this participant (yet).";
    };
  }
}
