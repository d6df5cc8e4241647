package io.tally.gateway.instructions.application;

import io.tally.protocol.codec.Hash;
import java.util.List;
import java.util.Optional;

/**
 * A ledger replica's parts of a receipt: the committed log record at an offset, its block header
 * and certificate, and the inclusion proofs. Nothing a ledger says is trusted: {@link IssueReceipt}
 * verifies every part against the genesis and the gateway's own certified replica.
 */
public interface LedgerEntries {

  /**
   * The parts the ledger gave for one entry, bytes as it sent them.
   *
   * @param record the log record (envelope) bytes
   * @param header the block header bytes
   * @param certificate the quorum certificate (JWS JSON general serialization) bytes
   * @param index the entry's index in its block
   * @param treeSize the number of entries in the block
   * @param entriesProof the record's inclusion proof in the {@code entries} root
   * @param resultsProof the outcome's inclusion proof in the {@code results} root
   */
  @SuppressWarnings("ArrayRecordComponent") // exact bytes; never compared by equals
  record Parts(
      byte[] record,
      byte[] header,
      byte[] certificate,
      long index,
      long treeSize,
      List<Hash> entriesProof,
      List<Hash> resultsProof) {}

  /** The ledger could not be asked, or did not answer in time: asking again may help. */
  final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreachable(String detail, Throwable cause) {
      super(detail, cause);
    }
  }

  /** The ledger answered something that is not its documented entry format. */
  final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unreadable(String detail, Throwable cause) {
      super(detail, cause);
    }
  }

  /**
   * The entry at log offset {@code offset} that carried {@code id}; empty while the ledger has not
   * committed it (or lists no entry at that offset).
   */
  Optional<Parts> entry(String id, long offset) throws Unreachable, Unreadable;
}
