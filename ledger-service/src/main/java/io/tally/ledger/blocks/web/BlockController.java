package io.tally.ledger.blocks.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.ledger.blocks.infrastructure.persistence.BlockEntity;
import io.tally.ledger.blocks.infrastructure.persistence.BlockJpaRepository;
import io.tally.protocol.codec.Base64Url;
import io.tally.service.web.openapi.ProblemTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The certified chain: the head, one block, a range of blocks. */
@Tag(name = LedgerOpenApi.CHAIN)
@ProblemTypes(LedgerOpenApi.INTERNAL_ONLY)
@RestController
@RequestMapping("/v1/blocks")
class BlockController {

  /**
   * A committed block. {@code header} is the exact signed bytes (base64url); {@code certificate} is
   * the quorum certificate as JSON (a JWS in general serialization over those bytes).
   */
  record BlockResponse(
      long height,
      String headerSha256,
      String prevSha256,
      int entryCount,
      long firstOffset,
      long lastOffset,
      long logTime,
      String stateSha256,
      String header,
      @JsonRawValue String certificate,
      List<String> signers,
      Instant committedAt) {

    static BlockResponse of(BlockEntity block) {
      return new BlockResponse(
          block.height(),
          block.headerSha256(),
          block.prevSha256(),
          block.entryCount(),
          block.firstOffset(),
          block.lastOffset(),
          block.logTime(),
          block.stateSha256(),
          Base64Url.encode(block.header()),
          new String(block.certificate(), StandardCharsets.UTF_8),
          Arrays.asList(block.signers().split(",", -1)),
          block.committedAt());
    }
  }

  /** A page of blocks; {@code next} is the height to ask for next, or null at the head. */
  record BlockPage(List<BlockResponse> blocks, @org.jspecify.annotations.Nullable Long next) {}

  private final BlockJpaRepository blocks;

  BlockController(BlockJpaRepository blocks) {
    this.blocks = blocks;
  }

  @Operation(summary = "The newest committed block")
  @ApiResponse(responseCode = "200", description = "the block with its certificate")
  @ProblemTypes("not-found")
  @GetMapping("/head")
  BlockResponse head() {
    return blocks
        .findFirstByOrderByHeightDesc()
        .map(BlockResponse::of)
        .orElseThrow(() -> new NotFoundException("no block is committed yet"));
  }

  @Operation(summary = "One committed block, by height")
  @ApiResponse(
      responseCode = "200",
      description = "header fields, the exact signed header (base64url) and its certificate")
  @ProblemTypes("not-found")
  @GetMapping("/{height}")
  BlockResponse block(@PathVariable long height) {
    return blocks
        .findById(Limits.nonNegative("height", height))
        .map(BlockResponse::of)
        .orElseThrow(() -> new NotFoundException("block " + height + " is not committed"));
  }

  @Operation(summary = "Committed blocks from a height (`from`, `limit` 1 to 100)")
  @ApiResponse(responseCode = "200", description = "a page; `next` is the height to ask for next")
  @GetMapping
  BlockPage range(
      @RequestParam(defaultValue = "1") long from, @RequestParam(defaultValue = "20") int limit) {
    List<BlockResponse> page =
        blocks
            .findByHeightGreaterThanEqualOrderByHeight(
                Limits.nonNegative("from", from), Limit.of(Limits.page(limit)))
            .stream()
            .map(BlockResponse::of)
            .toList();
    Long next = page.size() < limit ? null : page.get(page.size() - 1).height() + 1;
    return new BlockPage(page, next);
  }
}
