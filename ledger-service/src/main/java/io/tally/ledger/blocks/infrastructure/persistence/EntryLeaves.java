package io.tally.ledger.blocks.infrastructure.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * The Merkle leaves of {@code entry} alone: proofs need every leaf of a block, and loading whole
 * records (up to the record size limit each) for that would cost far more.
 */
@SuppressWarnings("UnusedVariable") // fields are read by the repository's JPQL, not in Java
@Entity(name = "EntryLeaves")
@Immutable
@Table(name = "entry")
public class EntryLeaves {

  @Id
  @Column(name = "log_offset")
  private long logOffset;

  private long height;
  private int position;
  private byte[] entryLeaf;
  private byte[] resultLeaf;

  protected EntryLeaves() {}
}
