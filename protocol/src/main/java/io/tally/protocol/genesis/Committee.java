package io.tally.protocol.genesis;

import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.VerificationKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Members who sign together and the number of distinct members whose signatures are required: the
 * validators with quorum {@code q}, the governance administrators with threshold {@code g}, or the
 * log-writing instances with threshold 1. One key per member, all keys distinct.
 */
public final class Committee implements KeyResolver {

  private final List<Member> members;
  private final int threshold;
  private final Map<String, Member> byKeyId = new HashMap<>();
  private final Map<String, Member> byId = new HashMap<>();

  /**
   * @throws IllegalArgumentException if ids or keys repeat or the threshold is outside 1..size
   */
  public Committee(List<Member> members, int threshold) {
    this.members = List.copyOf(members);
    this.threshold = threshold;
    for (Member member : this.members) {
      if (byId.putIfAbsent(member.id(), member) != null) {
        throw new IllegalArgumentException("member id " + member.id() + " appears twice");
      }
      if (byKeyId.putIfAbsent(member.key().keyId(), member) != null) {
        throw new IllegalArgumentException("key " + member.key().keyId() + " appears twice");
      }
    }
    if (!this.members.isEmpty() && (threshold < 1 || threshold > this.members.size())) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " outside 1.." + this.members.size());
    }
  }

  public List<Member> members() {
    return members;
  }

  /** Distinct members whose signatures make a decision of this committee. */
  public int threshold() {
    return threshold;
  }

  /** The member holding the key with id {@code keyId}. */
  public Optional<Member> memberByKeyId(String keyId) {
    return Optional.ofNullable(byKeyId.get(keyId));
  }

  /** The member with id {@code id}. */
  public Optional<Member> member(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Optional<VerificationKey> find(String keyId) {
    return memberByKeyId(keyId).map(Member::key);
  }
}
