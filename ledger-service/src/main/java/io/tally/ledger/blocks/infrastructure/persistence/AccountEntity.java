package io.tally.ledger.blocks.infrastructure.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** A row of {@code account}: balances after the last committed block that changed it. */
@Entity
@Immutable
@Table(name = "account")
public class AccountEntity {

  @Id private String id;
  private String owner;
  private String asset;
  private boolean issuance;
  private boolean overdraft;
  private long postedDebits;
  private long postedCredits;
  private long pendingDebits;
  private long pendingCredits;
  private long height;

  protected AccountEntity() {}

  public String id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  public String asset() {
    return asset;
  }

  public boolean issuance() {
    return issuance;
  }

  public boolean overdraft() {
    return overdraft;
  }

  public long postedDebits() {
    return postedDebits;
  }

  public long postedCredits() {
    return postedCredits;
  }

  public long pendingDebits() {
    return pendingDebits;
  }

  public long pendingCredits() {
    return pendingCredits;
  }

  public long height() {
    return height;
  }
}
