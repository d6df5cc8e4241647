package io.tally.gateway.events.application;

import io.tally.gateway.accounts.application.AccessControl;
import java.util.List;
import java.util.Set;

/**
 * One instruction of a certified block, as its finality event: its outcome {@code code}, where it
 * sits ({@code height}, log {@code offset}) and the accounts it moved, with the participants who
 * may hear of it (its verified signers and the owners of those accounts; every auditor too).
 *
 * @param audience who may hear of it besides the auditors; not part of the event sent
 */
public record Finality(
    String instructionId,
    String code,
    long height,
    long offset,
    List<String> accounts,
    Set<String> audience) {

  public Finality {
    accounts = List.copyOf(accounts);
    audience = Set.copyOf(audience);
  }

  /** The event's position in the stream: its id in SSE, its place in a webhook delivery. */
  public Position position() {
    return new Position(height, offset);
  }

  /** Whether {@code caller} may hear of it. */
  public boolean visibleTo(AccessControl.Caller caller) {
    return caller.auditor() || audience.contains(caller.participant());
  }

  /** Whether {@code participant}, no auditor, may hear of it. */
  public boolean visibleTo(String participant, boolean auditor) {
    return auditor || audience.contains(participant);
  }
}
