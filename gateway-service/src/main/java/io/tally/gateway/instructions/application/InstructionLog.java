package io.tally.gateway.instructions.application;

/** The log, as the gateway writes to it. */
public interface InstructionLog {

  /**
   * Seals {@code instruction} in an envelope signed by this instance and writes it, returning once
   * the broker acknowledged it (all in-sync replicas).
   *
   * @return the record's log offset
   * @throws LogUnavailable when the broker did not acknowledge in time
   */
  long append(byte[] instruction);

  /**
   * Seals and writes {@code instructions} in order, returning once the broker acknowledged every
   * one of them.
   *
   * @return the records' log offsets, in order
   * @throws LogUnavailable when the broker did not acknowledge all in time (some may be written:
   *     the network applies an id once, so the client may submit them again)
   */
  java.util.List<Long> appendAll(java.util.List<byte[]> instructions);
}
