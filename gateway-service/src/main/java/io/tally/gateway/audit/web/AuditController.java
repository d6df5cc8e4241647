package io.tally.gateway.audit.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.audit.application.AuditReads;
import io.tally.gateway.audit.application.LedgerAudit;
import io.tally.service.web.InvalidRequest;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' reads (docs/audit-api.md), for participants with the {@code auditor} role: each
 * request's access token is checked ({@link AuditReads}), its parameters are checked against the
 * names each list takes (an unknown one is 400, not ignored), and the ledger replica's answer is
 * passed on.
 */
@Tag(name = "audit")
@ProblemTypes({"auditor-only", "ledger-unavailable", "not-found", "not-certified"})
@RestController
@RequestMapping("/v1/audit")
class AuditController {

  private static final int VALUE_CHARS_MAX = 64;
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Set<String> PAGE = Set.of("before", "limit", "format");
  private static final Set<String> SEARCH =
      Set.of(
          "id",
          "participant",
          "account",
          "asset",
          "minAmount",
          "maxAmount",
          "from",
          "to",
          "code",
          "kind",
          "before",
          "limit",
          "format");

  private final AuditReads reads;

  AuditController(AuditReads reads) {
    this.reads = reads;
  }

  @Operation(
      summary = "Search entries, newest first",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/entries")
  ResponseEntity<byte[]> entries(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "entries", query, SEARCH);
  }

  @Operation(
      summary = "An instruction's trail: entries, votes, finality",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/entries/{id}/trail")
  ResponseEntity<byte[]> trail(
      AccessControl.Caller caller, @PathVariable String id, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    return read(caller, "entries/" + id + "/trail", query, Set.of());
  }

  @Operation(
      summary = "Block summaries, newest first",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/blocks")
  ResponseEntity<byte[]> blocks(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "blocks", query, PAGE);
  }

  @Operation(
      summary = "One block with its votes and entries",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/blocks/{height}")
  ResponseEntity<byte[]> block(
      AccessControl.Caller caller,
      @PathVariable long height,
      @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    RequestParameters.nonNegative("height", height);
    return read(caller, "blocks/" + height, query, Set.of());
  }

  @Operation(
      summary = "The validators' votes, lag and evidence",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/validators")
  ResponseEntity<byte[]> validators(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "validators", query, Set.of("format"));
  }

  @Operation(
      summary = "Per asset totals and whether they balance",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/balance-sheet")
  ResponseEntity<byte[]> balanceSheet(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "balance-sheet", query, Set.of("format"));
  }

  @Operation(
      summary = "Governance entries with their records",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/governance")
  ResponseEntity<byte[]> governance(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "governance", query, PAGE);
  }

  @Operation(
      summary = "Commit series per second",
      description = "Format and parameters: docs/audit-api.md; `format=csv` on every list.")
  @ApiResponse(responseCode = "200", description = "the ledger replica's answer, passed on")
  @GetMapping("/series")
  ResponseEntity<byte[]> series(
      AccessControl.Caller caller, @RequestParam Map<String, String> query)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    return read(caller, "series", query, Set.of("seconds", "format"));
  }

  private ResponseEntity<byte[]> read(
      AccessControl.Caller caller, String path, Map<String, String> query, Set<String> names)
      throws AuditReads.NotAuditor, LedgerAudit.Unavailable {
    Map<String, String> checked = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      String name = parameter.getKey();
      if (!names.contains(name)) {
        throw new InvalidRequest(
            "unknown parameter "
                + (name.length() > VALUE_CHARS_MAX ? "" : name)
                + "; this list"
                + " takes "
                + String.join(", ", new java.util.TreeSet<>(names)));
      }
      String value = parameter.getValue();
      if (!value.isEmpty()) {
        checked.put(name, RequestParameters.id(name, value, VALUE));
      }
    }
    LedgerAudit.Answer answer = reads.read(caller, path, checked);
    return ResponseEntity.status(answer.status())
        .contentType(MediaType.parseMediaType(answer.contentType()))
        .body(answer.body());
  }
}
