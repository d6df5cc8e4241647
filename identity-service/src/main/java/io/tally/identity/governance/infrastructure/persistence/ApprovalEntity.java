package io.tally.identity.governance.infrastructure.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A row of {@code approval}. */
@Entity
@Table(name = "approval")
@IdClass(ApprovalEntity.Key.class)
public class ApprovalEntity {

  /** The composite key: one approval per administrator and proposal. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private String proposalId;
    private String administrator;

    protected Key() {}

    public Key(String proposalId, String administrator) {
      this.proposalId = proposalId;
      this.administrator = administrator;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k
          && Objects.equals(proposalId, k.proposalId)
          && Objects.equals(administrator, k.administrator);
    }

    @Override
    public int hashCode() {
      return Objects.hash(proposalId, administrator);
    }
  }

  @Id
  @Column(name = "proposal_id")
  private String proposalId;

  @Id private String administrator;
  private String jws;

  @SuppressWarnings("UnusedVariable") // written for operators, read by SQL only
  private Instant createdAt;

  protected ApprovalEntity() {}

  public ApprovalEntity(String proposalId, String administrator, String jws) {
    this.proposalId = proposalId;
    this.administrator = administrator;
    this.jws = jws;
    this.createdAt = Instant.now();
  }

  public String administrator() {
    return administrator;
  }

  public String jws() {
    return jws;
  }
}
