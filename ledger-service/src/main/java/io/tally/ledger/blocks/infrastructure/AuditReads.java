package io.tally.ledger.blocks.infrastructure;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The auditors' reads (docs/audit-api.md): searches over committed entries, the chain with its
 * outcome codes, the votes each block was certified with, the balance sheet and commit series.
 * Every query is parameterized and bounded by its {@code limit}; each filter has an index (V2
 * migration).
 */
public final class AuditReads {

  /**
   * A search: every member null or empty is "any".
   *
   * @param from log time, inclusive, milliseconds since the epoch
   * @param to log time, exclusive
   * @param before log offset: entries below it (the previous page's {@code next})
   */
  public record Search(
      @Nullable String id,
      @Nullable String participant,
      @Nullable String account,
      @Nullable String asset,
      @Nullable Long minAmount,
      @Nullable Long maxAmount,
      @Nullable Long from,
      @Nullable Long to,
      @Nullable String code,
      @Nullable String kind,
      @Nullable Long height,
      long before,
      int limit) {}

  /** One movement of an entry; {@code amount} in minor units. */
  public record Movement(String movement, String debit, String credit, String asset, long amount) {}

  /** One committed entry with its block's times and its movements. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  public record EntryRow(
      long offset,
      long height,
      int position,
      @Nullable String instructionId,
      @Nullable String kind,
      String code,
      long logTime,
      Instant committedAt,
      List<Movement> postings,
      byte @Nullable [] record) {}

  /** One committed block with the count of its entries by outcome code. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  public record BlockRow(
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
      byte[] header,
      byte[] certificate) {}

  /** A vote the ledger counted for a committed block, and when it arrived. */
  public record VoteRow(String validator, long offset, Instant arrivedAt) {}

  /** Posted and pending sums of one asset over every account (decimal: sums exceed a long). */
  public record AssetTotals(
      String asset,
      long accounts,
      BigDecimal debits,
      BigDecimal credits,
      BigDecimal pendingDebits,
      BigDecimal pendingCredits) {}

  /** Evidence of a Byzantine validator the ledger kept. */
  public record EvidenceRow(
      String kind,
      long height,
      @Nullable String validator,
      String description,
      Instant detectedAt) {}

  /** One second of commits. */
  public record Second(
      long at,
      long settlements,
      Map<String, Long> rejections,
      @Nullable Long latencyP50Ms,
      @Nullable Long latencyP99Ms) {}

  private static final String ENTRY_COLUMNS =
      "e.log_offset, e.height, e.position, e.instruction_id, e.kind, e.code, b.log_time,"
          + " b.committed_at";

  private final JdbcTemplate jdbc;

  public AuditReads(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Entries matching {@code search}, newest first; with their records if {@code withRecords}. */
  public List<EntryRow> entries(Search search, boolean withRecords) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(ENTRY_COLUMNS)
            .append(withRecords ? ", e.record" : "")
            .append(" FROM entry e JOIN block b ON b.height = e.height WHERE e.log_offset < ?");
    List<Object> args = new ArrayList<>();
    args.add(search.before());
    if (search.id() != null) {
      sql.append(" AND e.instruction_id = ?");
      args.add(search.id());
    }
    if (search.code() != null) {
      sql.append(" AND e.code = ?");
      args.add(search.code());
    }
    if (search.kind() != null) {
      sql.append(" AND e.kind = ?");
      args.add(search.kind());
    }
    if (search.height() != null) {
      sql.append(" AND e.height = ?");
      args.add(search.height());
    }
    if (search.from() != null) {
      // Log time never decreases with height: the bound on heights lets the index do the work.
      sql.append(
          " AND b.log_time >= ? AND e.height >= COALESCE((SELECT min(height) FROM block"
              + " WHERE log_time >= ?), 9223372036854775807)");
      args.add(search.from());
      args.add(search.from());
    }
    if (search.to() != null) {
      sql.append(
          " AND b.log_time < ? AND e.height <= COALESCE((SELECT max(height) FROM block"
              + " WHERE log_time < ?), -1)");
      args.add(search.to());
      args.add(search.to());
    }
    List<String> movement = new ArrayList<>();
    if (search.participant() != null) {
      movement.add(
          "(p.debit IN (SELECT id FROM account WHERE owner = ?)"
              + " OR p.credit IN (SELECT id FROM account WHERE owner = ?))");
      args.add(search.participant());
      args.add(search.participant());
    }
    if (search.account() != null) {
      movement.add("(p.debit = ? OR p.credit = ?)");
      args.add(search.account());
      args.add(search.account());
    }
    if (search.asset() != null) {
      movement.add("p.asset = ?");
      args.add(search.asset());
    }
    if (search.minAmount() != null) {
      movement.add("p.amount >= ?");
      args.add(search.minAmount());
    }
    if (search.maxAmount() != null) {
      movement.add("p.amount <= ?");
      args.add(search.maxAmount());
    }
    if (!movement.isEmpty()) {
      sql.append(" AND EXISTS (SELECT 1 FROM posting p WHERE p.log_offset = e.log_offset AND ")
          .append(String.join(" AND ", movement))
          .append(')');
    }
    sql.append(" ORDER BY e.log_offset DESC LIMIT ?");
    args.add(search.limit());
    List<EntryRow> rows =
        jdbc.query(
            sql.toString(),
            (rs, i) -> entryRow(rs, List.of(), withRecords ? rs.getBytes(9) : null),
            args.toArray());
    return withMovements(rows);
  }

  private static EntryRow entryRow(ResultSet rs, List<Movement> postings, byte @Nullable [] record)
      throws SQLException {
    return new EntryRow(
        rs.getLong(1),
        rs.getLong(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getLong(7),
        instant(rs.getTimestamp(8)),
        postings,
        record);
  }

  private List<EntryRow> withMovements(List<EntryRow> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<Long, List<Movement>> byOffset = new LinkedHashMap<>();
    String placeholders = String.join(",", java.util.Collections.nCopies(rows.size(), "?"));
    jdbc.query(
        "SELECT log_offset, movement, debit, credit, asset, amount FROM posting"
            + " WHERE log_offset IN ("
            + placeholders
            + ") ORDER BY id",
        rs -> {
          byOffset
              .computeIfAbsent(rs.getLong(1), o -> new ArrayList<>())
              .add(
                  new Movement(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getLong(6)));
        },
        rows.stream().map(EntryRow::offset).toArray());
    return rows.stream()
        .map(
            row ->
                new EntryRow(
                    row.offset(),
                    row.height(),
                    row.position(),
                    row.instructionId(),
                    row.kind(),
                    row.code(),
                    row.logTime(),
                    row.committedAt(),
                    List.copyOf(byOffset.getOrDefault(row.offset(), List.of())),
                    row.record()))
        .toList();
  }

  /** Blocks below {@code before}, newest first. */
  public List<BlockRow> blocks(long before, int limit) {
    return withCodes(
        jdbc.query(
            "SELECT height, header_sha256, prev_sha256, entry_count, first_offset, last_offset,"
                + " log_time, committed_at, signers, header, certificate FROM block"
                + " WHERE height < ? ORDER BY height DESC LIMIT ?",
            (rs, i) -> blockRow(rs, Map.of()),
            before,
            limit));
  }

  /** One block, if committed. */
  public Optional<BlockRow> block(long height) {
    return withCodes(
            jdbc.query(
                "SELECT height, header_sha256, prev_sha256, entry_count, first_offset,"
                    + " last_offset, log_time, committed_at, signers, header, certificate"
                    + " FROM block WHERE height = ?",
                (rs, i) -> blockRow(rs, Map.of()),
                height))
        .stream()
        .findFirst();
  }

  private static BlockRow blockRow(ResultSet rs, Map<String, Long> codes) throws SQLException {
    return new BlockRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getLong(5),
        rs.getLong(6),
        rs.getLong(7),
        instant(rs.getTimestamp(8)),
        List.of(rs.getString(9).split(",", -1)),
        codes,
        rs.getBytes(10),
        rs.getBytes(11));
  }

  private List<BlockRow> withCodes(List<BlockRow> blocks) {
    if (blocks.isEmpty()) {
      return blocks;
    }
    long low = blocks.stream().mapToLong(BlockRow::height).min().orElseThrow();
    long high = blocks.stream().mapToLong(BlockRow::height).max().orElseThrow();
    Map<Long, Map<String, Long>> codes = new TreeMap<>();
    jdbc.query(
        "SELECT height, code, sum(count) FROM block_outcome WHERE height BETWEEN ? AND ?"
            + " GROUP BY height, code",
        rs -> {
          codes
              .computeIfAbsent(rs.getLong(1), h -> new TreeMap<>())
              .put(rs.getString(2), rs.getLong(3));
        },
        low,
        high);
    return blocks.stream()
        .map(
            b ->
                new BlockRow(
                    b.height(),
                    b.headerSha256(),
                    b.prevSha256(),
                    b.entryCount(),
                    b.firstOffset(),
                    b.lastOffset(),
                    b.logTime(),
                    b.committedAt(),
                    b.signers(),
                    Map.copyOf(codes.getOrDefault(b.height(), Map.of())),
                    b.header(),
                    b.certificate()))
        .toList();
  }

  /** The votes counted for block {@code height}, in arrival order. */
  public List<VoteRow> votes(long height) {
    return jdbc.query(
        "SELECT validator, log_offset, arrived_at FROM vote WHERE height = ? ORDER BY log_offset",
        (rs, i) -> new VoteRow(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3))),
        height);
  }

  /** When the finality event of block {@code height} was published, if it was. */
  public Optional<Instant> finalizedAt(long height) {
    return jdbc
        .query(
            "SELECT published_at FROM outbox WHERE height = ? AND published_at IS NOT NULL",
            (rs, i) -> instant(rs.getTimestamp(1)),
            height)
        .stream()
        .findFirst();
  }

  /** The committed height: the newest block, 0 before any. */
  public long committedHeight() {
    Long height = jdbc.queryForObject("SELECT COALESCE(max(height), 0) FROM block", Long.class);
    return height == null ? 0 : height;
  }

  /** Per asset, the sums over every account. */
  public List<AssetTotals> balanceSheet() {
    return jdbc.query(
        "SELECT asset, count(*), COALESCE(sum(posted_debits), 0), COALESCE(sum(posted_credits), 0),"
            + " COALESCE(sum(pending_debits), 0), COALESCE(sum(pending_credits), 0)"
            + " FROM account GROUP BY asset ORDER BY asset",
        (rs, i) ->
            new AssetTotals(
                rs.getString(1),
                rs.getLong(2),
                rs.getBigDecimal(3),
                rs.getBigDecimal(4),
                rs.getBigDecimal(5),
                rs.getBigDecimal(6)));
  }

  /** The newest evidence, at most {@code limit}. */
  public List<EvidenceRow> evidence(int limit) {
    return jdbc.query(
        "SELECT kind, height, validator, description, detected_at FROM evidence"
            + " ORDER BY id DESC LIMIT ?",
        (rs, i) ->
            new EvidenceRow(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                instant(rs.getTimestamp(5))),
        limit);
  }

  /** Equivocations kept, by validator. */
  public Map<String, Long> equivocations() {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.query(
        "SELECT validator, count(*) FROM evidence WHERE kind = 'EQUIVOCATION'"
            + " AND validator IS NOT NULL GROUP BY validator",
        rs -> {
          counts.put(rs.getString(1), rs.getLong(2));
        });
    return counts;
  }

  /**
   * Per second of commit time over the last {@code seconds}: accepted instructions, rejections by
   * code, and the p50 and p99 of commit time minus log time over the instructions committed then,
   * from the per-block counts ({@code block_outcome}): a row per block and code, not per entry.
   */
  public List<Second> series(int seconds) {
    Map<Long, List<BlockCount>> bySecond = new TreeMap<>();
    jdbc.query(
        "SELECT floor(extract(epoch FROM b.committed_at))::bigint,"
            + " (extract(epoch FROM b.committed_at) * 1000)::bigint - b.log_time, o.code, o.count"
            + " FROM block b JOIN block_outcome o ON o.height = b.height AND o.kind = 'instruction'"
            + " WHERE b.committed_at >= now() - make_interval(secs => ?)",
        rs -> {
          bySecond
              .computeIfAbsent(rs.getLong(1), s -> new ArrayList<>())
              .add(new BlockCount(Math.max(0, rs.getLong(2)), rs.getString(3), rs.getLong(4)));
        },
        seconds);
    List<Second> series = new ArrayList<>(bySecond.size());
    for (Map.Entry<Long, List<BlockCount>> second : bySecond.entrySet()) {
      long settlements = 0;
      Map<String, Long> rejections = new TreeMap<>();
      List<BlockCount> blocks = new ArrayList<>(second.getValue());
      for (BlockCount block : blocks) {
        if ("ACCEPTED".equals(block.code())) {
          settlements += block.count();
        } else {
          rejections.merge(block.code(), block.count(), Long::sum);
        }
      }
      // Every instruction of a block waited as long as its block: percentiles weighted by count.
      blocks.sort(java.util.Comparator.comparingLong(BlockCount::latency));
      long total = blocks.stream().mapToLong(BlockCount::count).sum();
      series.add(
          new Second(
              second.getKey(),
              settlements,
              Map.copyOf(rejections),
              weightedPercentile(blocks, total, 0.50),
              weightedPercentile(blocks, total, 0.99)));
    }
    return series;
  }

  /** Instructions of one outcome code in one block, and how long the block took to commit. */
  private record BlockCount(long latency, String code, long count) {}

  /** The latency below which a share {@code p} of the {@code total} instructions committed. */
  private static @Nullable Long weightedPercentile(
      List<BlockCount> byLatency, long total, double p) {
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (BlockCount block : byLatency) {
      seen += block.count();
      if (seen >= rank) {
        return block.latency();
      }
    }
    return null;
  }

  private static Instant instant(@Nullable Timestamp timestamp) {
    return timestamp == null ? Instant.EPOCH : timestamp.toInstant();
  }
}
