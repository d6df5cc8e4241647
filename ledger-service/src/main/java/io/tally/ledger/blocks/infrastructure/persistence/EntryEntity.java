package io.tally.ledger.blocks.infrastructure.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A row of {@code entry}: one log record of a committed block with its outcome. */
@Entity
@Immutable
@Table(name = "entry")
public class EntryEntity {

  @Id
  @Column(name = "log_offset")
  private long logOffset;

  private long height;
  private int position;
  private String instructionId;
  private String code;
  private Long originalOffset;
  private byte[] record;
  private byte[] outcome;

  protected EntryEntity() {}

  public long logOffset() {
    return logOffset;
  }

  public long height() {
    return height;
  }

  public int position() {
    return position;
  }

  public String instructionId() {
    return instructionId;
  }

  public String code() {
    return code;
  }

  public Long originalOffset() {
    return originalOffset;
  }

  public byte[] record() {
    return record.clone();
  }

  public byte[] outcome() {
    return outcome.clone();
  }
}
