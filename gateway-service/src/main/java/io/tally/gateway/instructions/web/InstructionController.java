package io.tally.gateway.instructions.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Code;
import io.tally.engine.Identifiers;
import io.tally.engine.Outcome;
import io.tally.gateway.config.GatewayProperties;
import io.tally.gateway.instructions.application.Backlog;
import io.tally.gateway.instructions.application.ChainGuard;
import io.tally.gateway.instructions.application.FinalityWaiters;
import io.tally.gateway.instructions.application.IssueReceipt;
import io.tally.gateway.instructions.application.Rejected;
import io.tally.gateway.instructions.application.SubmitInstruction;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.Problems;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Instructions: submit one, read its status. */
@Tag(name = "instructions")
@RestController
@RequestMapping("/v1/instructions")
class InstructionController {

  /** An accepted submission: written to the log, not final yet. */
  record Accepted(String id, long offset, String status) {}

  /**
   * A submission that became final within {@code Prefer: wait}: the final status and its verified
   * receipt (null if the ledger had not committed the block before the wait ran out). With {@code
   * return=minimal} the answer is a {@link Status} instead: no {@code receipt} member at all.
   */
  record Final(
      String id,
      String status,
      String code,
      long offset,
      long asOfHeight,
      ReceiptController.@Nullable ReceiptResponse receipt) {}

  /** Where an instruction stands as far as certified blocks tell. */
  record Status(
      String id, String status, @Nullable String code, @Nullable Long offset, long asOfHeight) {}

  /** Thrown for a body beyond the configured limit. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String detail) {
      super(detail);
    }
  }

  /** Thrown for an instruction no certified block holds. */
  static final class Unknown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unknown(String detail) {
      super(detail);
    }
  }

  /** How long a final answer waits for the ledger's parts of its receipt, within the wait. */
  static final Duration RECEIPT_WAIT_MAX = Duration.ofSeconds(2);

  /** The longest wait a client may ask for (no request thread is held meanwhile). */
  static final Duration WAIT_MAX = Duration.ofSeconds(30);

  private final SubmitInstruction submit;
  private final FinalityWaiters waiters;
  private final IssueReceipt receipts;
  private final CertifiedReplica replica;
  private final int bodyMax;
  private final int batchMax;
  private final JsonMapper json = JsonMapper.builder().build();

  InstructionController(
      SubmitInstruction submit,
      FinalityWaiters waiters,
      IssueReceipt receipts,
      CertifiedReplica replica,
      GatewayProperties properties) {
    this.submit = submit;
    this.waiters = waiters;
    this.receipts = receipts;
    this.replica = replica;
    this.bodyMax = (int) properties.bodyMax().toBytes();
    this.batchMax = properties.batchMax();
  }

  /**
   * Submits one instruction: a JWS in JSON general serialization ({@code typ
   * tally-instruction+jws}), one signature per signer. Answers 202 once the log acknowledged it;
   * with {@code Prefer: wait=N} (RFC 7240, N at most {@link #WAIT_MAX}) it answers 200 with the
   * final status and the verified receipt as soon as a certified block holds the instruction (the
   * receipt if the ledger committed it within 2 s; {@code return=minimal} leaves it out), or 202
   * when N seconds pass.
   */
  @Operation(
      summary = "Submit one instruction",
      description =
          "Checked against the certified replica (shape, amounts, every signature, notAfter, an id"
              + " reused with other content), sealed and written to the log; 202 once the log"
              + " acknowledged it. With `Prefer: wait=N` (at most 30 s) 200 with the final status"
              + " and verified receipt if a certified block holds it in time; `return=minimal`"
              + " leaves the receipt out (`Preference-Applied` says what was applied).",
      parameters =
          @Parameter(
              in = ParameterIn.HEADER,
              name = "Prefer",
              description = "RFC 7240: `wait=N` (seconds, at most 30), optionally `return=minimal`",
              example = "wait=20",
              schema = @Schema(type = "string")),
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/jose+json",
                    schema = @Schema(implementation = GatewayOpenApi.InstructionJws.class),
                    examples =
                        @ExampleObject(name = "dvp", value = GatewayOpenApi.INSTRUCTION_EXAMPLE)),
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = GatewayOpenApi.InstructionJws.class),
                    examples =
                        @ExampleObject(name = "dvp", value = GatewayOpenApi.INSTRUCTION_EXAMPLE))
              }))
  @ApiResponse(
      responseCode = "202",
      description = "written to the log, not final yet",
      headers = @Header(name = "Location", description = "/v1/instructions/{id}"),
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @ApiResponse(
      responseCode = "200",
      description =
          "final within `Prefer: wait`: the status and verified receipt (a Status without"
              + " `receipt` under `return=minimal`)",
      headers = @Header(name = "Preference-Applied", description = "`wait=N[, return=minimal]`"),
      content = @Content(schema = @Schema(implementation = Final.class)))
  @ProblemTypes({
    "malformed",
    "signature-invalid",
    "signer-unknown",
    "signer-duplicate",
    "amount-invalid",
    "legs-too-many",
    "accounts-must-be-different",
    "expired",
    "not-after-too-far",
    "duplicate-conflict",
    "overloaded",
    "producer-contended",
    "not-caught-up",
    "log-unavailable"
  })
  @PostMapping(consumes = {"application/json", "application/jose+json"})
  CompletableFuture<ResponseEntity<?>> submit(HttpServletRequest request)
      throws IOException, Rejected, Backlog.Overloaded, ChainGuard.Contended {
    SubmitInstruction.Submitted submitted = submit.submit(readBody(request));
    String prefer = request.getHeader("Prefer");
    Duration wait = preferredWait(prefer);
    if (wait.isZero()) {
      return CompletableFuture.completedFuture(accepted(submitted));
    }
    // No request thread waits: the servlet request is asynchronous until the answer is ready.
    long deadline = System.nanoTime() + wait.toNanos();
    String id = submitted.instructionId();
    boolean minimal = minimal(prefer);
    String applied = "wait=" + wait.toSeconds() + (minimal ? ", return=minimal" : "");
    return waiters
        .whenFinal(id, wait)
        .thenCompose(
            outcome -> {
              if (outcome.isEmpty()) {
                return CompletableFuture.completedFuture(accepted(submitted));
              }
              String code = outcome.get().code().name();
              long offset = outcome.get().offset();
              long asOfHeight = replica.certifiedHeight();
              ResponseEntity.BodyBuilder ok =
                  ResponseEntity.ok()
                      .header("Preference-Applied", applied)
                      .location(URI.create("/v1/instructions/" + id));
              if (minimal) {
                return CompletableFuture.completedFuture(
                    ok.body(new Status(id, "FINAL", code, offset, asOfHeight)));
              }
              Duration receiptWait =
                  Duration.ofNanos(
                      Math.max(
                          0, Math.min(deadline - System.nanoTime(), RECEIPT_WAIT_MAX.toNanos())));
              return receipts
                  .within(id, receiptWait)
                  .thenApply(
                      receipt ->
                          ok.body(
                              new Final(
                                  id,
                                  "FINAL",
                                  code,
                                  offset,
                                  asOfHeight,
                                  receipt
                                      .map(ReceiptController.ReceiptResponse::of)
                                      .orElse(null))));
            });
  }

  private static ResponseEntity<?> accepted(SubmitInstruction.Submitted submitted) {
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/v1/instructions/" + submitted.instructionId()))
        .body(new Accepted(submitted.instructionId(), submitted.offset(), "SUBMITTED"));
  }

  /** One item of a batch's answer: submitted (with its offset) or rejected (with its problem). */
  record BatchItem(
      int index,
      @Nullable String id,
      String status,
      @Nullable Long offset,
      @Nullable String type,
      @Nullable Integer httpStatus,
      @Nullable String detail) {}

  /** A batch's answer, one item per instruction in order. */
  record BatchResult(int submitted, int rejected, List<BatchItem> results) {}

  /** Thrown for a batch body that is no {@code {"instructions": [...]}}, or a batch too large. */
  static final class BadBatch extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean tooLarge;

    BadBatch(String detail, boolean tooLarge) {
      super(detail);
      this.tooLarge = tooLarge;
    }

    boolean tooLarge() {
      return tooLarge;
    }
  }

  /**
   * Submits up to {@code batch-max} instructions at once: {@code {"instructions": [JWS, ...]}}.
   * Each is checked as a single submission would be; those that pass are written in order and the
   * answer (200) comes once the log acknowledged all of them, with one result per instruction:
   * {@code SUBMITTED} with its offset, or {@code REJECTED} with the Problem Details type, status
   * and detail a single submission would have got. A rejected item does not stop the others.
   */
  @Operation(
      summary = "Submit a batch of instructions",
      description =
          "Each item is checked as a single submission; those that pass are written in order and"
              + " the answer comes once the log acknowledged all of them. A rejected item carries"
              + " the Problem Details type, status and detail a single submission would get.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/json",
                    schema = @Schema(implementation = GatewayOpenApi.InstructionBatch.class),
                    examples = @ExampleObject(name = "dvp", value = GatewayOpenApi.BATCH_EXAMPLE))
              }))
  @ApiResponse(responseCode = "200", description = "one result per instruction, in order")
  @ProblemTypes({"batch-too-large", "overloaded", "producer-contended", "log-unavailable"})
  @PostMapping(path = "/batch", consumes = "application/json")
  BatchResult submitBatch(HttpServletRequest request)
      throws IOException, Backlog.Overloaded, ChainGuard.Contended {
    byte[] body = readBody(request);
    JsonNode instructions;
    try {
      instructions = json.readTree(body).get("instructions");
    } catch (JacksonException e) {
      throw new BadBatch("the body is not JSON", false);
    }
    if (instructions == null || !instructions.isArray()) {
      throw new BadBatch("the body must be {\"instructions\": [instruction JWS, ...]}", false);
    }
    if (instructions.size() > batchMax) {
      throw new BadBatch(
          "the batch has " + instructions.size() + " instructions, at most " + batchMax, true);
    }
    List<byte[]> items = new ArrayList<>(instructions.size());
    for (JsonNode instruction : instructions) {
      items.add(json.writeValueAsBytes(instruction));
    }
    List<SubmitInstruction.Result> results = submit.submitAll(items);
    List<BatchItem> answer = new ArrayList<>(results.size());
    int submitted = 0;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof SubmitInstruction.Submitted ok) {
        submitted++;
        answer.add(
            new BatchItem(i, ok.instructionId(), "SUBMITTED", ok.offset(), null, null, null));
      } else if (results.get(i) instanceof SubmitInstruction.Refused refused) {
        answer.add(
            new BatchItem(
                i,
                null,
                "REJECTED",
                null,
                Problems.type(refused.code().name()).toString(),
                ProblemAdvice.status(refused.code()).value(),
                refused.detail()));
      }
    }
    return new BatchResult(submitted, results.size() - submitted, answer);
  }

  private byte[] readBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > bodyMax) {
      throw new TooLarge(
          "the body has " + request.getContentLengthLong() + " bytes, at most " + bodyMax);
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(bodyMax + 1);
    }
    if (body.length > bodyMax) {
      throw new TooLarge("the body has more than " + bodyMax + " bytes");
    }
    return body;
  }

  /**
   * Whether a {@code Prefer} header asks for {@code return=minimal}: the status without receipt.
   */
  static boolean minimal(@Nullable String prefer) {
    if (prefer == null) {
      return false;
    }
    for (String preference : prefer.split(",", -1)) {
      if (preference.trim().equalsIgnoreCase("return=minimal")) {
        return true;
      }
    }
    return false;
  }

  /** The wait a {@code Prefer} header asks for ({@code wait=N} seconds), capped; zero if none. */
  static Duration preferredWait(@Nullable String prefer) {
    if (prefer == null) {
      return Duration.ZERO;
    }
    for (String preference : prefer.split(",", -1)) {
      String trimmed = preference.trim();
      if (trimmed.startsWith("wait=")) {
        try {
          long seconds = Long.parseLong(trimmed.substring(5).trim());
          return Duration.ofSeconds(Math.max(0, Math.min(seconds, WAIT_MAX.toSeconds())));
        } catch (NumberFormatException e) {
          return Duration.ZERO; // RFC 7240: a preference that cannot be honoured is ignored
        }
      }
    }
    return Duration.ZERO;
  }

  /** {@code FINAL} with the outcome once a certified block holds it; 404 before. */
  @Operation(summary = "An instruction's status: FINAL with its code once certified")
  @ApiResponse(responseCode = "200", description = "FINAL, with the outcome's code and offset")
  @ProblemTypes("unknown-instruction")
  @GetMapping("/{id}")
  Status status(@PathVariable String id) {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    long height = replica.certifiedHeight();
    Optional<Outcome> outcome = replica.outcome(id);
    if (outcome.isEmpty()) {
      throw new Unknown(
          "no certified block holds instruction " + id + " (not submitted, or not final yet)");
    }
    Code code = outcome.get().code();
    return new Status(id, "FINAL", code.name(), outcome.get().offset(), height);
  }
}
