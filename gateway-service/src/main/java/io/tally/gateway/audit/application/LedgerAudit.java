package io.tally.gateway.audit.application;

import java.util.Map;

/** A ledger replica's internal audit API ({@code /v1/audit/...}, ADR 0014). */
public interface LedgerAudit {

  /**
   * The ledger's answer, as it gave it.
   *
   * @param status the HTTP status (200, or 400 and 404 with Problem Details)
   * @param contentType its media type (checked to parse)
   * @param body its bytes
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record Answer(int status, String contentType, byte[] body) {}

  /** The ledger did not answer, or answered anything but 200, 400 or 404. */
  final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unavailable(String detail, Throwable cause) {
      super(detail, cause);
    }
  }

  /**
   * Reads {@code path} (below {@code /v1/audit/}, already checked) with {@code query} (names and
   * values already checked; they are encoded here).
   */
  Answer read(String path, Map<String, String> query) throws Unavailable;
}
