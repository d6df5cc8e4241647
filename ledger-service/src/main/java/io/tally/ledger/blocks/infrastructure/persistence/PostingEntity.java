package io.tally.ledger.blocks.infrastructure.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A row of {@code posting}: one leg's movement applied by a committed block. */
@Entity
@Immutable
@Table(name = "posting")
public class PostingEntity {

  @Id private long id;
  private long height;

  @Column(name = "log_offset")
  private long logOffset;

  private String instructionId;
  private String movement;
  private String reservation;
  private String debit;
  private String credit;
  private String asset;
  private long amount;

  protected PostingEntity() {}

  public long id() {
    return id;
  }

  public long height() {
    return height;
  }

  public long logOffset() {
    return logOffset;
  }

  public String instructionId() {
    return instructionId;
  }

  public String movement() {
    return movement;
  }

  public String reservation() {
    return reservation;
  }

  public String debit() {
    return debit;
  }

  public String credit() {
    return credit;
  }

  public String asset() {
    return asset;
  }

  public long amount() {
    return amount;
  }
}
