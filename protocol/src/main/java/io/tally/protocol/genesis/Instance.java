package io.tally.protocol.genesis;

/** A log-writing service instance of the genesis: its member (id and key) and its role. */
public record Instance(Member member, Role role) {

  public String id() {
    return member.id();
  }
}
