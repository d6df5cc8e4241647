package io.tally.identity.governance.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.identity.governance.application.GovernanceDesk;
import io.tally.identity.governance.application.ProposalStore;
import io.tally.identity.governance.domain.Refusal;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Proposals and their approvals. */
@Tag(name = IdentityOpenApi.GOVERNANCE)
@RestController
@RequestMapping("/v1/proposals")
class ProposalController {

  /**
   * A new proposal: the governance payload (base64url of the exact JSON bytes) and, for a change
   * that brings keys in, each key's compact JWS ({@code typ tally-governance+jws}) over it.
   */
  @Schema(requiredProperties = "payload")
  record NewProposal(
      @Schema(
              description =
                  "the governance payload: base64url (no padding) of the exact JSON bytes the"
                      + " administrators sign",
              pattern = "^[A-Za-z0-9_-]+$")
          @Nullable String payload,
      @Schema(
              description =
                  "for register-participant, add-key and rotate-key: each introduced key's compact"
                      + " JWS (typ tally-governance+jws) over the payload bytes")
          @Nullable List<@Nullable String> proofs) {}

  /** An approval: an administrator's compact JWS over the proposal's payload. */
  @Schema(requiredProperties = "approval")
  record NewApproval(
      @Schema(
              description =
                  "an administrator's compact JWS (typ tally-governance+jws, alg EdDSA) whose"
                      + " payload is exactly the proposal's payload bytes")
          @Nullable String approval) {}

  /** A proposal that registers the asset EUR (scale 2, issuer bank-a): no keys, no proofs. */
  static final String PROPOSAL_EXAMPLE =
      "{\"payload\":\"eyJpZCI6Imdvdi1ldXIiLCJraW5kIjoicmVnaXN0ZXItYXNzZXQiLCJub3RBZnRlciI6MTc2NzIyNTYwMDAwMCwiYXNzZXQiOiJFVVIiLCJzY2FsZSI6MiwiaXNzdWVyIjoiYmFuay1hIn0\",\"proofs\":[]}";

  /** An administrator's approval (the signature shortened). */
  static final String APPROVAL_EXAMPLE =
      "{\"approval\":\"eyJhbGciOiJFZERTQSIsImtpZCI6Ik56YkxzWGg4dURDY2QtNk1Od1hGNFdfN25vV1hGWkFmSGt4WnNSR0M5WHMiLCJ0eXAiOiJ0YWxseS1nb3Zlcm5hbmNlK2p3cyJ9.eyJpZCI6Imdvdi1ldXIiLCJraW5kIjoicmVnaXN0ZXItYXNzZXQiLCJub3RBZnRlciI6MTc2NzIyNTYwMDAwMCwiYXNzZXQiOiJFVVIiLCJzY2FsZSI6MiwiaXNzdWVyIjoiYmFuay1hIn0.3q2-7w\"}";

  /**
   * A proposal as the desk holds it: {@code status} {@code OPEN}, {@code APPROVED} (published, not
   * final yet) or {@code FINAL} with the network's outcome in {@code code} (left out before).
   */
  record ProposalResponse(
      String id,
      String kind,
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              description =
                  "the network's outcome once FINAL: ACCEPTED or the engine's code that refused it;"
                      + " absent before")
          @Nullable String code,
      String payload,
      int threshold,
      List<String> approvedBy) {}

  /** A page of proposals by id; {@code next} is the cursor, or null. */
  record ProposalPage(List<ProposalResponse> proposals, @Nullable String next) {}

  private static final int PAGE_MAX = 100;

  private final GovernanceDesk desk;

  ProposalController(GovernanceDesk desk) {
    this.desk = desk;
  }

  @Operation(
      summary = "Propose a governance change",
      description =
          "Stores the payload after the checks validators would make (decoding, the network's"
              + " window for notAfter, every introduced key's proof of possession). The same"
              + " content again answers 201 with the stored proposal.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = NewProposal.class),
                      examples =
                          @ExampleObject(
                              name = "register-asset",
                              summary = "register the asset EUR",
                              value = PROPOSAL_EXAMPLE))))
  @ApiResponse(
      responseCode = "201",
      description = "the proposal, OPEN",
      headers = @Header(name = "Location", description = "/v1/proposals/{id}"),
      content = @Content(schema = @Schema(implementation = ProposalResponse.class)))
  @ProblemTypes({
    "key-possession-unproven",
    "signature-invalid",
    "expired",
    "not-after-too-far",
    "id-conflict"
  })
  @PostMapping
  ResponseEntity<ProposalResponse> propose(@RequestBody NewProposal proposal) throws Refusal {
    if (proposal.payload() == null) {
      throw new Refusal(Refusal.Reason.MALFORMED, "payload is required");
    }
    List<String> proofs = new ArrayList<>();
    for (String proof :
        proposal.proofs() == null ? List.<@Nullable String>of() : proposal.proofs()) {
      if (proof == null) {
        throw new Refusal(Refusal.Reason.MALFORMED, "proofs must be strings (compact JWSs)");
      }
      proofs.add(proof);
    }
    GovernanceDesk.Proposal stored = desk.propose(proposal.payload(), proofs);
    return ResponseEntity.created(URI.create("/v1/proposals/" + stored.stored().id()))
        .body(response(stored));
  }

  @Operation(summary = "One proposal", description = "Its status, approvals and, once FINAL, code.")
  @ApiResponse(responseCode = "200", description = "the proposal")
  @ProblemTypes("unknown-proposal")
  @GetMapping("/{id}")
  ProposalResponse proposal(@PathVariable String id) throws Refusal {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    return response(desk.find(id));
  }

  @Operation(
      summary = "Proposals by id",
      description = "A page of proposals after the cursor `after` (an id), `limit` 1 to 100.")
  @ApiResponse(responseCode = "200", description = "a page; `next` is the cursor, or null")
  @GetMapping
  ProposalPage proposals(
      @RequestParam(defaultValue = "") String after, @RequestParam(defaultValue = "20") int limit)
      throws Refusal {
    RequestParameters.cursor("after", after, Identifiers.INSTRUCTION_ID);
    RequestParameters.limit("limit", limit, PAGE_MAX);
    List<ProposalResponse> page = desk.list(after, limit).stream().map(this::response).toList();
    return new ProposalPage(page, page.size() < limit ? null : page.get(page.size() - 1).id());
  }

  @Operation(
      summary = "Approve a proposal",
      description =
          "Counts an administrator's compact JWS over exactly the payload bytes, once per"
              + " administrator. The approval that reaches the threshold publishes the change to"
              + " the log (status APPROVED).",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = NewApproval.class),
                      examples =
                          @ExampleObject(
                              name = "approval",
                              summary = "an administrator's approval (signature shortened)",
                              value = APPROVAL_EXAMPLE))))
  @ApiResponse(responseCode = "200", description = "the proposal with this approval counted")
  @ProblemTypes({
    "unknown-proposal",
    "signature-invalid",
    "not-an-administrator",
    "already-approved",
    "expired"
  })
  @PostMapping("/{id}/approvals")
  ProposalResponse approve(@PathVariable String id, @RequestBody NewApproval approval)
      throws Refusal {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    if (approval.approval() == null) {
      throw new Refusal(Refusal.Reason.MALFORMED, "approval is required");
    }
    return response(desk.approve(id, approval.approval()));
  }

  private ProposalResponse response(GovernanceDesk.Proposal proposal) {
    ProposalStore.Stored stored = proposal.stored();
    return new ProposalResponse(
        stored.id(),
        stored.kind(),
        proposal.standing().name(),
        proposal.code(),
        stored.payload(),
        desk.threshold(),
        stored.approvals().stream().map(ProposalStore.Approval::administrator).toList());
  }
}
