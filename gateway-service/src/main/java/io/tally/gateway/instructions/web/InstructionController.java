package io.tally.gateway.instructions.web;

import io.tally.engine.Code;
import io.tally.engine.Outcome;
import io.tally.gateway.config.GatewayProperties;
import io.tally.gateway.instructions.application.Rejected;
import io.tally.gateway.instructions.application.SubmitInstruction;
import io.tally.service.CertifiedReplica;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Instructions: submit one, read its status. */
@RestController
@RequestMapping("/v1/instructions")
class InstructionController {

  /** An accepted submission: written to the log, not final yet. */
  record Accepted(String id, long offset, String status) {}

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

  private final SubmitInstruction submit;
  private final CertifiedReplica replica;
  private final int bodyMax;

  InstructionController(
      SubmitInstruction submit, CertifiedReplica replica, GatewayProperties properties) {
    this.submit = submit;
    this.replica = replica;
    this.bodyMax = (int) properties.bodyMax().toBytes();
  }

  /**
   * Submits one instruction: a JWS in JSON general serialization ({@code typ
   * tally-instruction+jws}), one signature per signer. Answers 202 once the log acknowledged it.
   */
  @PostMapping(consumes = {"application/json", "application/jose+json"})
  ResponseEntity<Accepted> submit(HttpServletRequest request) throws IOException, Rejected {
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
    SubmitInstruction.Submitted submitted = submit.submit(body);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/v1/instructions/" + submitted.instructionId()))
        .body(new Accepted(submitted.instructionId(), submitted.offset(), "SUBMITTED"));
  }

  /** {@code FINAL} with the outcome once a certified block holds it; 404 before. */
  @GetMapping("/{id}")
  Status status(@PathVariable String id) {
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
