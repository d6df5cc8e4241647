package io.tally.gateway.instructions.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.tally.engine.Code;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.service.web.openapi.ImpliedProblems;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ServiceApi;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * The gateway's OpenAPI document (served at {@code /v3/api-docs}, committed as {@code
 * docs/openapi/gateway-service.json}): what it says about the API, the bearer scheme of the access
 * tokens, and every Problem Details type the gateway can answer. A handler that takes the
 * authenticated {@link AccessControl.Caller} needs the bearer token and can answer 401 {@code
 * unauthenticated}: the document says so for each such operation, and the caller is no parameter of
 * it (the token is).
 */
@Configuration(proxyBeanMethods = false)
class GatewayOpenApi {

  static {
    // Resolved from the Authorization header (CallerArguments), not a request parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(AccessControl.Caller.class);
  }

  static final String BEARER = "bearer";

  /**
   * The engine codes the gateway's early checks can refuse an instruction with ({@code
   * SubmitInstruction}: the engine's decoding and signature checks, the time window, an id reused
   * with other content). The validators may refuse others later; those are outcomes in the status,
   * not problems.
   */
  static final Set<Code> EARLY_CODES =
      EnumSet.of(
          Code.MALFORMED,
          Code.SIGNATURE_INVALID,
          Code.SIGNER_UNKNOWN,
          Code.SIGNER_DUPLICATE,
          Code.AMOUNT_INVALID,
          Code.LEGS_TOO_MANY,
          Code.ACCOUNTS_MUST_BE_DIFFERENT,
          Code.EXPIRED,
          Code.NOT_AFTER_TOO_FAR,
          Code.DUPLICATE_CONFLICT);

  /** The instruction JWS (JSON general serialization), for the document's schema. */
  @Schema(
      name = "InstructionJws",
      description =
          "An instruction: a JWS in JSON general serialization (RFC 7515), typ"
              + " tally-instruction+jws, alg EdDSA, one signature per signer over the same payload"
              + " (every debtor signs; docs/integration.md). The payload bytes are never"
              + " re-serialized.",
      requiredProperties = {"payload", "signatures"})
  record InstructionJws(
      @Schema(description = "base64url (no padding) of the instruction's JSON bytes")
          String payload,
      List<Signature> signatures) {}

  /** One signature of an {@link InstructionJws}. */
  @Schema(requiredProperties = {"protected", "signature"})
  record Signature(
      @JsonProperty("protected")
          @Schema(description = "base64url of the protected header: exactly alg, kid and typ")
          String header,
      @Schema(description = "base64url of the Ed25519 signature") String signature) {}

  /** A batch of instructions, each an {@link InstructionJws}. */
  @Schema(name = "InstructionBatch", requiredProperties = "instructions")
  record InstructionBatch(List<InstructionJws> instructions) {}

  /** A settlement of EUR 7,500.00 from a-eur to b-eur, signed by bank-a (signature shortened). */
  static final String INSTRUCTION_EXAMPLE =
      "{\"payload\":\"eyJpZCI6ImR2cC0wMDAxIiwia2luZCI6InNldHRsZSIsIm5vdEFmdGVyIjoxNzY3MjI1NjAwMDAwLCJsZWdzIjpbeyJkZWJpdCI6ImEtZXVyIiwiY3JlZGl0IjoiYi1ldXIiLCJhc3NldCI6IkVVUiIsImFtb3VudCI6Ijc1MDAwMCJ9XX0\",\"signatures\":[{\"protected\":\"eyJhbGciOiJFZERTQSIsImtpZCI6Ik56YkxzWGg4dURDY2QtNk1Od1hGNFdfN25vV1hGWkFmSGt4WnNSR0M5WHMiLCJ0eXAiOiJ0YWxseS1pbnN0cnVjdGlvbitqd3MifQ\",\"signature\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw\"}]}";

  /** The same instruction in a batch of one. */
  static final String BATCH_EXAMPLE = "{\"instructions\":[" + INSTRUCTION_EXAMPLE + "]}";

  @Bean
  ServiceApi gatewayApi() {
    SecurityScheme bearer =
        new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWS")
            .description(
                "An access token the participant signs itself (ADR 0010): a compact JWS by one of"
                    + " its current keys with the gateway's audience, a short validity (iat, exp)"
                    + " and a jti used once; see docs/integration.md. The auditor role reads"
                    + " every account and the audit API.");
    return new ServiceApi(
            "Tally gateway-service",
            "Where business systems submit signed instructions (one or a batch), follow them to"
                + " finality (status, Prefer: wait, server-sent events, webhooks) and fetch"
                + " receipts anyone can verify offline with the genesis; and where participants"
                + " read their accounts and auditors the whole network with access tokens they"
                + " sign themselves. Amounts are decimal strings of minor units (ADR 0015).",
            List.of(
                ServiceApi.server(
                    "http://127.0.0.1:8080", "gateway-service at its default address and port")),
            List.of(
                ServiceApi.tag("instructions", "Submit instructions, their status and receipts"),
                ServiceApi.tag("accounts", "The caller's accounts, balances and history"),
                ServiceApi.tag("events", "Finality events: server-sent events and webhooks"),
                ServiceApi.tag("audit", "The auditors' reads (docs/audit-api.md)")))
        .withSecuritySchemes(Map.of(BEARER, bearer));
  }

  @Bean
  ProblemCatalog gatewayProblems() {
    return catalog();
  }

  /** A handler taking the caller can answer 401 {@code unauthenticated}. */
  @Bean
  ImpliedProblems gatewayCallerProblems() {
    return handler -> takesCaller(handler) ? List.of("unauthenticated") : List.of();
  }

  /** A handler taking the caller needs the bearer token. */
  @Bean
  OperationCustomizer gatewayBearer() {
    return (operation, handler) ->
        takesCaller(handler)
            ? operation.addSecurityItem(new SecurityRequirement().addList(BEARER))
            : operation;
  }

  static boolean takesCaller(HandlerMethod handler) {
    return Arrays.stream(handler.getMethodParameters())
        .anyMatch(p -> p.getParameterType() == AccessControl.Caller.class);
  }

  /** Every type the gateway answers, with the status its advice gives it. */
  static ProblemCatalog catalog() {
    ProblemCatalog catalog = ProblemCatalog.common();
    for (Code code : EARLY_CODES) {
      catalog = catalog.with(code.name(), ProblemAdvice.status(code).value(), describe(code));
    }
    String retry = HttpHeaders.RETRY_AFTER;
    return catalog
        .with("BATCH_TOO_LARGE", 413, "The batch holds more instructions than batch-max.")
        .with(
            "OVERLOADED",
            HttpStatus.TOO_MANY_REQUESTS.value(),
            "More records this gateway wrote wait for a certified block than backlog-max.",
            retry)
        .with(
            "PRODUCER_CONTENDED",
            503,
            "Another process writes under this gateway's instance key: it takes no instruction"
                + " until restarted with its own (no Retry-After).")
        .with("UNKNOWN_INSTRUCTION", 404, "No certified block holds this instruction (yet).")
        .with(
            "RECEIPT_UNAVAILABLE",
            503,
            "The ledger has not committed the instruction's block yet.",
            retry)
        .with(
            "RECEIPT_INVALID",
            HttpStatus.BAD_GATEWAY.value(),
            "The ledger's parts of the receipt do not verify (asking again gives the same).")
        .with(
            "NOT_CAUGHT_UP",
            503,
            "A signature names a key this gateway does not know while its replica still reads"
                + " the log after a start.",
            retry)
        .with(
            "LOG_UNAVAILABLE",
            503,
            "The log did not acknowledge the instruction; submit it again (an id is applied"
                + " once).",
            retry)
        .with(
            "UNAUTHENTICATED",
            401,
            "No access token, or one that is invalid, expired, replayed, for another audience or"
                + " by an unknown key.",
            HttpHeaders.WWW_AUTHENTICATE)
        .with("FORBIDDEN", 403, "The account belongs to another participant.")
        .with("UNKNOWN_ACCOUNT", 404, "No certified block holds this account.")
        .with("HISTORY_UNAVAILABLE", 503, "The ledger did not answer the history.", retry)
        .with(
            "NOT_CERTIFIED",
            503,
            "The replica holds a block whose certificate has not arrived (reads wait at most 5 s).",
            retry)
        .with("AUDITOR_ONLY", 403, "The caller does not have the auditor role.")
        .with("LEDGER_UNAVAILABLE", 503, "The ledger did not answer the audit read.", retry)
        .with(
            "EVENTS_EXPIRED",
            HttpStatus.GONE.value(),
            "The resume point (Last-Event-ID) or the replayed block is older than the events this"
                + " gateway holds.")
        .with("WEBHOOK_REFUSED", 400, "The webhook's URL is not one the gateway delivers to.")
        .with("UNKNOWN_WEBHOOK", 404, "The caller has no webhook with this id.")
        .with(
            "WEBHOOK_UNDELIVERED",
            HttpStatus.BAD_GATEWAY.value(),
            "The endpoint did not take the replayed delivery.")
        .with(
            "WEBHOOK_STORE_UNAVAILABLE",
            503,
            "The webhooks' store (a compacted topic) cannot be read or written now.",
            retry);
  }

  /** One sentence per early code (the engine's {@code Code} says the same). */
  static String describe(Code code) {
    return switch (code) {
      case MALFORMED ->
          "Not an instruction the network can read: not a JWS in JSON, an unknown kind, a"
              + " missing or invalid member.";
      case SIGNATURE_INVALID -> "A signature does not verify for the key its kid names.";
      case SIGNER_UNKNOWN -> "A signature names a key no participant holds.";
      case SIGNER_DUPLICATE -> "Two signatures by the same key.";
      case AMOUNT_INVALID -> "An amount is not a decimal string of 1 to 2^63-1 minor units.";
      case LEGS_TOO_MANY -> "More legs than the network's rules allow.";
      case ACCOUNTS_MUST_BE_DIFFERENT -> "A leg debits and credits the same account.";
      case EXPIRED -> "notAfter has passed (the gateway's clock).";
      case NOT_AFTER_TOO_FAR -> "notAfter lies further ahead than the network's window.";
      case DUPLICATE_CONFLICT -> "The id was used before with other content.";
      default -> "Refused by the engine's rule " + code + ".";
    };
  }
}
