package io.tally.identity.governance.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.tally.engine.Identifiers;
import io.tally.identity.governance.application.GovernanceDesk;
import io.tally.identity.governance.application.ProposalStore;
import io.tally.identity.governance.domain.Refusal;
import io.tally.service.web.RequestParameters;
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
@RestController
@RequestMapping("/v1/proposals")
class ProposalController {

  /**
   * A new proposal: the governance payload (base64url of the exact JSON bytes) and, for a change
   * that brings keys in, each key's compact JWS ({@code typ tally-governance+jws}) over it.
   */
  record NewProposal(@Nullable String payload, @Nullable List<@Nullable String> proofs) {}

  /** An approval: an administrator's compact JWS over the proposal's payload. */
  record NewApproval(@Nullable String approval) {}

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

  @GetMapping("/{id}")
  ProposalResponse proposal(@PathVariable String id) throws Refusal {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    return response(desk.find(id));
  }

  @GetMapping
  ProposalPage proposals(
      @RequestParam(defaultValue = "") String after, @RequestParam(defaultValue = "20") int limit)
      throws Refusal {
    RequestParameters.cursor("after", after, Identifiers.INSTRUCTION_ID);
    RequestParameters.limit("limit", limit, PAGE_MAX);
    List<ProposalResponse> page = desk.list(after, limit).stream().map(this::response).toList();
    return new ProposalPage(page, page.size() < limit ? null : page.get(page.size() - 1).id());
  }

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
