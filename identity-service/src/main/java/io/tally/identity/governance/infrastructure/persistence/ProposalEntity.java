package io.tally.identity.governance.infrastructure.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code proposal}. */
@Entity
@Table(name = "proposal")
public class ProposalEntity {

  @Id private String id;
  private String kind;
  private String payload;
  private String proofs;
  private String status;

  @SuppressWarnings("UnusedVariable") // written for operators, read by SQL only
  private Instant createdAt;

  private Instant approvedAt;

  protected ProposalEntity() {}

  public ProposalEntity(String id, String kind, String payload, String proofs, String status) {
    this.id = id;
    this.kind = kind;
    this.payload = payload;
    this.proofs = proofs;
    this.status = status;
    this.createdAt = Instant.now();
  }

  public String id() {
    return id;
  }

  public String kind() {
    return kind;
  }

  public String payload() {
    return payload;
  }

  public String proofs() {
    return proofs;
  }

  public String status() {
    return status;
  }

  public Instant approvedAt() {
    return approvedAt;
  }

  public void approved(Instant at) {
    status = "APPROVED";
    approvedAt = at;
  }
}
