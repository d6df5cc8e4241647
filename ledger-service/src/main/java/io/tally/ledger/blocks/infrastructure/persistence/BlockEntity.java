package io.tally.ledger.blocks.infrastructure.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** A row of {@code block}: one committed block. */
@Entity
@Immutable
@Table(name = "block")
public class BlockEntity {

  @Id private long height;
  private byte[] header;

  @Column(name = "header_sha256")
  private String headerSha256;

  @Column(name = "prev_sha256")
  private String prevSha256;

  private int entryCount;
  private long firstOffset;
  private long lastOffset;
  private long logTime;

  @Column(name = "state_sha256")
  private String stateSha256;

  private byte[] certificate;
  private String signers;
  private Instant committedAt;

  protected BlockEntity() {}

  public long height() {
    return height;
  }

  public byte[] header() {
    return header.clone();
  }

  public String headerSha256() {
    return headerSha256;
  }

  public String prevSha256() {
    return prevSha256;
  }

  public int entryCount() {
    return entryCount;
  }

  public long firstOffset() {
    return firstOffset;
  }

  public long lastOffset() {
    return lastOffset;
  }

  public long logTime() {
    return logTime;
  }

  public String stateSha256() {
    return stateSha256;
  }

  public byte[] certificate() {
    return certificate.clone();
  }

  public String signers() {
    return signers;
  }

  public Instant committedAt() {
    return committedAt;
  }
}
