package io.tally.engine;

import io.tally.engine.Command.Leg;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/** A reservation: legs held as pending until committed, cancelled or expired. */
final class Reservation {

  enum Status {
    OPEN,
    COMMITTED,
    CANCELLED,
    EXPIRED
  }

  /** Expiry order, ties broken by id: the order in which expiries are processed. */
  static final Comparator<Reservation> BY_EXPIRY =
      Comparator.<Reservation>comparingLong(r -> r.expiresAt).thenComparing(r -> r.id);

  final String id;
  final List<Leg> legs;
  final List<String> controllers;
  final long expiresAt;
  Status status = Status.OPEN;
  boolean dirty;

  Reservation(String id, List<Leg> legs, List<String> controllers, long expiresAt) {
    this.id = id;
    this.legs = List.copyOf(legs);
    this.controllers = List.copyOf(controllers);
    this.expiresAt = expiresAt;
  }

  void write(DataOutput out) throws IOException {
    out.writeUTF(id);
    out.writeInt(legs.size());
    for (Leg leg : legs) {
      out.writeUTF(leg.debit());
      out.writeUTF(leg.credit());
      out.writeUTF(leg.asset());
      out.writeLong(leg.amount());
    }
    out.writeInt(controllers.size());
    for (String controller : controllers) {
      out.writeUTF(controller);
    }
    out.writeLong(expiresAt);
    out.writeUTF(status.name());
  }
}
