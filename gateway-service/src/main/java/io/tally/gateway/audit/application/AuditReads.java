package io.tally.gateway.audit.application;

import io.tally.gateway.accounts.application.AccessControl;
import java.util.Map;

/**
 * An auditor reads the network: the caller's access token must verify (ADR 0010) and its directory
 * entry must carry the {@code auditor} role; the answer is the ledger replica's.
 */
public final class AuditReads {

  /** The caller is authenticated but is no auditor. */
  public static final class NotAuditor extends Exception {
    private static final long serialVersionUID = 1L;

    NotAuditor(String detail) {
      super(detail);
    }
  }

  private final LedgerAudit ledger;

  public AuditReads(LedgerAudit ledger) {
    this.ledger = ledger;
  }

  /**
   * {@code path} read for {@code caller}, authenticated by its access token.
   *
   * @throws NotAuditor the caller lacks the {@code auditor} role
   * @throws LedgerAudit.Unavailable the ledger did not answer
   */
  public LedgerAudit.Answer read(
      AccessControl.Caller caller, String path, Map<String, String> query)
      throws NotAuditor, LedgerAudit.Unavailable {
    if (!caller.auditor()) {
      throw new NotAuditor(
          caller.participant() + " has no auditor role in the certified directory");
    }
    return ledger.read(path, query);
  }
}
