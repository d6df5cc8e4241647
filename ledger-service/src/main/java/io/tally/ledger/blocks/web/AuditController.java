package io.tally.ledger.blocks.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.ledger.blocks.infrastructure.AuditReads;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Member;
import io.tally.service.web.InvalidRequest;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' reads (docs/audit-api.md): searches, trails, the chain with its votes, validators,
 * the balance sheet, governance and commit series. Internal like the rest of this API (ADR 0014):
 * the gateway answers auditors, after checking their access token and role, from here. Every list
 * answers {@code format=csv} too ({@link CsvAnswers}).
 */
@Tag(name = LedgerOpenApi.AUDIT)
@ProblemTypes(LedgerOpenApi.INTERNAL_ONLY)
@RestController
@RequestMapping("/v1/audit")
class AuditController {

  /** The ledger counts as stalled after waiting this long for the votes of one block. */
  static final long STALLED_AFTER_MS = 5_000;

  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z_]{0,63}");
  private static final Set<String> KINDS = Set.of("instruction", "governance", "cut");
  private static final int SERIES_SECONDS_MAX = 3_600;
  private static final int EVIDENCE_SHOWN = 20;

  /** A movement; {@code amount} in minor units as a decimal string (ADR 0015). */
  record MovementResponse(
      String movement, String debit, String credit, String asset, String amount) {
    static MovementResponse of(AuditReads.Movement m) {
      return new MovementResponse(
          m.movement(), m.debit(), m.credit(), m.asset(), Long.toString(m.amount()));
    }
  }

  /** An entry found; {@code record} (base64url) only in governance answers. */
  record EntryResponse(
      long offset,
      long height,
      int position,
      @Nullable String instructionId,
      @Nullable String kind,
      String code,
      long logTime,
      Instant committedAt,
      List<MovementResponse> postings,
      @Nullable String record) {
    static EntryResponse of(AuditReads.EntryRow row) {
      byte[] record = row.record();
      return new EntryResponse(
          row.offset(),
          row.height(),
          row.position(),
          row.instructionId(),
          row.kind(),
          row.code(),
          row.logTime(),
          row.committedAt(),
          row.postings().stream().map(MovementResponse::of).toList(),
          record == null ? null : Base64Url.encode(record));
    }
  }

  record EntryPage(List<EntryResponse> entries, @Nullable String next) {}

  record VoteResponse(String validator, long offset, Instant arrivedAt) {
    static VoteResponse of(AuditReads.VoteRow row) {
      return new VoteResponse(row.validator(), row.offset(), row.arrivedAt());
    }
  }

  record Trail(
      String instructionId,
      List<EntryController.EntryResponse> entries,
      List<VoteResponse> votes,
      @Nullable Instant finalizedAt) {}

  record BlockSummary(
      long height,
      String headerSha256,
      String prevSha256,
      int entryCount,
      long firstOffset,
      long lastOffset,
      long logTime,
      Instant committedAt,
      List<String> signers,
      Map<String, Long> codes) {
    static BlockSummary of(AuditReads.BlockRow b) {
      return new BlockSummary(
          b.height(),
          b.headerSha256(),
          b.prevSha256(),
          b.entryCount(),
          b.firstOffset(),
          b.lastOffset(),
          b.logTime(),
          b.committedAt(),
          b.signers(),
          b.codes());
    }
  }

  record BlockPage(List<BlockSummary> blocks, @Nullable String next) {}

  record BlockDetail(
      long height,
      String headerSha256,
      String prevSha256,
      int entryCount,
      long firstOffset,
      long lastOffset,
      long logTime,
      Instant committedAt,
      List<String> signers,
      Map<String, Long> codes,
      String header,
      @JsonRawValue String certificate,
      List<VoteResponse> votes,
      @Nullable Instant finalizedAt,
      List<EntryResponse> entries) {}

  record ValidatorResponse(
      String id,
      @Nullable Long lastVoteHeight,
      @Nullable Instant lastVoteAt,
      @Nullable Long lag,
      boolean missing,
      long equivocations) {}

  record EvidenceResponse(
      String kind,
      long height,
      @Nullable String validator,
      String description,
      Instant detectedAt) {}

  record Validators(
      int quorum,
      long committedHeight,
      long computedHeight,
      boolean stalled,
      @Nullable String waiting,
      @Nullable Long waitingHeight,
      @Nullable Long waitingMs,
      List<ValidatorResponse> validators,
      List<String> alarms,
      List<EvidenceResponse> evidence) {}

  record AssetResponse(
      String asset,
      long accounts,
      String debits,
      String credits,
      String pendingDebits,
      String pendingCredits,
      boolean balanced) {
    static AssetResponse of(AuditReads.AssetTotals t) {
      return new AssetResponse(
          t.asset(),
          t.accounts(),
          t.debits().toPlainString(),
          t.credits().toPlainString(),
          t.pendingDebits().toPlainString(),
          t.pendingCredits().toPlainString(),
          t.debits().compareTo(t.credits()) == 0
              && t.pendingDebits().compareTo(t.pendingCredits()) == 0);
    }
  }

  record BalanceSheet(long height, boolean balanced, List<AssetResponse> assets) {}

  record Series(int seconds, List<AuditReads.Second> series) {}

  private final AuditReads reads;
  private final EntryProofs proofs;
  private final LedgerStatus status;
  private final Genesis genesis;
  private final CsvAnswers csv;
  private final Clock clock;

  AuditController(
      AuditReads reads,
      EntryProofs proofs,
      LedgerStatus status,
      Genesis genesis,
      CsvAnswers csv,
      Clock clock) {
    this.reads = reads;
    this.proofs = proofs;
    this.status = status;
    this.genesis = genesis;
    this.csv = csv;
    this.clock = clock;
  }

  @Operation(summary = "Search entries (docs/audit-api.md), newest first")
  @ApiResponse(
      responseCode = "200",
      description =
          "a page; `next` is the cursor (`before`); with `format=csv` the same rows as CSV",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = EntryPage.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/entries")
  ResponseEntity<?> entries(
      @RequestParam(required = false) @Nullable String id,
      @RequestParam(required = false) @Nullable String participant,
      @RequestParam(required = false) @Nullable String account,
      @RequestParam(required = false) @Nullable String asset,
      @RequestParam(required = false) @Nullable Long minAmount,
      @RequestParam(required = false) @Nullable Long maxAmount,
      @RequestParam(required = false) @Nullable Long from,
      @RequestParam(required = false) @Nullable Long to,
      @RequestParam(required = false) @Nullable String code,
      @RequestParam(required = false) @Nullable String kind,
      @RequestParam(required = false) @Nullable Long before,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(defaultValue = "json") String format) {
    AuditReads.Search search =
        new AuditReads.Search(
            optional("id", id, Identifiers.INSTRUCTION_ID),
            optional("participant", participant, Member.ID_PATTERN),
            optional("account", account, Identifiers.ACCOUNT_ID),
            optional("asset", asset, Identifiers.ASSET_CODE),
            nonNegative("minAmount", minAmount),
            nonNegative("maxAmount", maxAmount),
            nonNegative("from", from),
            nonNegative("to", to),
            optional("code", code, CODE),
            kind(kind),
            null,
            cursor(before),
            Limits.page(limit));
    return page(format, search, false);
  }

  @Operation(summary = "Governance entries with their records, newest first")
  @ApiResponse(
      responseCode = "200",
      description =
          "a page; `next` is the cursor (`before`); with `format=csv` the same rows as CSV",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = EntryPage.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/governance")
  ResponseEntity<?> governance(
      @RequestParam(required = false) @Nullable Long before,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(defaultValue = "json") String format) {
    AuditReads.Search search =
        new AuditReads.Search(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "governance",
            null,
            cursor(before),
            Limits.page(limit));
    return page(format, search, true);
  }

  private ResponseEntity<?> page(String format, AuditReads.Search search, boolean withRecords) {
    boolean asCsv = csv.wanted(format);
    List<EntryResponse> found =
        reads.entries(search, withRecords).stream().map(EntryResponse::of).toList();
    if (asCsv) {
      return csv.answer(found);
    }
    String next =
        found.size() < search.limit() ? null : Long.toString(found.get(found.size() - 1).offset());
    return ResponseEntity.ok(new EntryPage(found, next));
  }

  @Operation(summary = "An instruction's trail: its entries, the votes of its block, finality")
  @ApiResponse(responseCode = "200", description = "the trail")
  @ProblemTypes("not-found")
  @GetMapping("/entries/{id}/trail")
  Trail trail(@PathVariable String id) {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    EntryController.EntriesResponse entries = proofs.entries(id);
    long height = entries.entries().get(0).height();
    return new Trail(
        id,
        entries.entries(),
        reads.votes(height).stream().map(VoteResponse::of).toList(),
        reads.finalizedAt(height).orElse(null));
  }

  @Operation(summary = "Block summaries, newest first")
  @ApiResponse(
      responseCode = "200",
      description =
          "a page; `next` is the cursor (`before`); with `format=csv` the same rows as CSV",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = BlockPage.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/blocks")
  ResponseEntity<?> blocks(
      @RequestParam(required = false) @Nullable Long before,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(defaultValue = "json") String format) {
    boolean asCsv = csv.wanted(format);
    int page = Limits.page(limit);
    List<BlockSummary> found =
        reads.blocks(cursor(before), page).stream().map(BlockSummary::of).toList();
    if (asCsv) {
      return csv.answer(found);
    }
    String next = found.size() < page ? null : Long.toString(found.get(found.size() - 1).height());
    return ResponseEntity.ok(new BlockPage(found, next));
  }

  @Operation(summary = "One block with its votes and entries")
  @ApiResponse(responseCode = "200", description = "the block")
  @ProblemTypes("not-found")
  @GetMapping("/blocks/{height}")
  BlockDetail block(@PathVariable long height) {
    AuditReads.BlockRow b =
        reads
            .block(Limits.nonNegative("height", height))
            .orElseThrow(() -> new NotFoundException("block " + height + " is not committed"));
    List<EntryResponse> entries =
        reads
            .entries(
                new AuditReads.Search(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    height,
                    Long.MAX_VALUE,
                    Limits.PAGE_MAX),
                false)
            .stream()
            .map(EntryResponse::of)
            .toList();
    return new BlockDetail(
        b.height(),
        b.headerSha256(),
        b.prevSha256(),
        b.entryCount(),
        b.firstOffset(),
        b.lastOffset(),
        b.logTime(),
        b.committedAt(),
        b.signers(),
        b.codes(),
        Base64Url.encode(b.header()),
        new String(b.certificate(), StandardCharsets.UTF_8),
        reads.votes(height).stream().map(VoteResponse::of).toList(),
        reads.finalizedAt(height).orElse(null),
        entries);
  }

  @Operation(
      summary = "The validators: last votes, lag, missing, equivocations; stalls and evidence")
  @ApiResponse(
      responseCode = "200",
      description = "the validators; with `format=csv` the same rows as CSV",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = Validators.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/validators")
  ResponseEntity<?> validators(@RequestParam(defaultValue = "json") String format) {
    boolean asCsv = csv.wanted(format);
    LedgerStatus.Waiting waiting = status.waitingFor();
    long computed = status.computedHeight();
    Map<String, LedgerStatus.LastVote> lastVotes = status.lastVotes();
    Map<String, Long> equivocations = reads.equivocations();
    List<ValidatorResponse> validators = new ArrayList<>();
    for (Member member : genesis.validators().members()) {
      LedgerStatus.LastVote last = lastVotes.get(member.id());
      validators.add(
          new ValidatorResponse(
              member.id(),
              last == null ? null : last.height(),
              last == null ? null : Instant.ofEpochMilli(last.timestamp()),
              last == null ? null : Math.max(0, computed - last.height()),
              waiting != null && !waiting.voters().contains(member.id()),
              equivocations.getOrDefault(member.id(), 0L)));
    }
    if (asCsv) {
      return csv.answer(validators);
    }
    Long waitingMs = waiting == null ? null : Math.max(0, clock.millis() - waiting.since());
    return ResponseEntity.ok(
        new Validators(
            genesis.validators().threshold(),
            status.committedHeight(),
            computed,
            waitingMs != null && waitingMs >= STALLED_AFTER_MS,
            status.waiting(),
            waiting == null ? null : waiting.height(),
            waitingMs,
            validators,
            status.alarms(),
            reads.evidence(EVIDENCE_SHOWN).stream()
                .map(
                    e ->
                        new EvidenceResponse(
                            e.kind(), e.height(), e.validator(), e.description(), e.detectedAt()))
                .toList()));
  }

  @Operation(summary = "Per asset: debits, credits and pending totals, and whether they balance")
  @ApiResponse(
      responseCode = "200",
      description = "the balance sheet; with `format=csv` the same rows as CSV",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = BalanceSheet.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/balance-sheet")
  ResponseEntity<?> balanceSheet(@RequestParam(defaultValue = "json") String format) {
    boolean asCsv = csv.wanted(format);
    long height = reads.committedHeight();
    List<AssetResponse> assets = reads.balanceSheet().stream().map(AssetResponse::of).toList();
    if (asCsv) {
      return csv.answer(assets);
    }
    return ResponseEntity.ok(
        new BalanceSheet(height, assets.stream().allMatch(AssetResponse::balanced), assets));
  }

  @Operation(summary = "Commit series per second over the last `seconds` (at most 3,600)")
  @ApiResponse(
      responseCode = "200",
      description = "the series; with `format=csv` the same rows as CSV",
      content = {
        @Content(mediaType = "application/json", schema = @Schema(implementation = Series.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  @GetMapping("/series")
  ResponseEntity<?> series(
      @RequestParam(defaultValue = "300") int seconds,
      @RequestParam(defaultValue = "json") String format) {
    boolean asCsv = csv.wanted(format);
    int window = RequestParameters.limit("seconds", seconds, SERIES_SECONDS_MAX);
    List<AuditReads.Second> series = reads.series(window);
    if (asCsv) {
      return csv.answer(series);
    }
    return ResponseEntity.ok(new Series(window, series));
  }

  private static @Nullable String optional(String name, @Nullable String value, Pattern syntax) {
    return value == null || value.isEmpty() ? null : RequestParameters.id(name, value, syntax);
  }

  private static @Nullable Long nonNegative(String name, @Nullable Long value) {
    return value == null ? null : RequestParameters.nonNegative(name, value);
  }

  private static @Nullable String kind(@Nullable String kind) {
    if (kind == null || kind.isEmpty()) {
      return null;
    }
    if (!KINDS.contains(kind)) {
      throw new InvalidRequest("kind must be one of instruction, governance, cut");
    }
    return kind;
  }

  private static long cursor(@Nullable Long before) {
    return before == null ? Long.MAX_VALUE : RequestParameters.nonNegative("before", before);
  }
}
