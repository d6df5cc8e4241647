package io.tally.gateway.instructions.application;

/** The log, as the gateway writes to it. */
public interface InstructionLog {

  /**
   * Seals {@code instruction} in an envelope signed by this instance and writes it, returning once
   * the broker acknowledged it (all in-sync replicas).
   *
   * @return the record's log offset
   * @throws IllegalStateException when the broker did not acknowledge in time
   */
  long append(byte[] instruction);
}
