package io.tally.engine;

import io.tally.protocol.keys.VerificationKey;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.TreeMap;

/** A registered participant: mutable engine state, never handed out. */
final class Participant {

  /** One key and whether it was revoked; revoked keys stay so that their use is reported. */
  static final class Key {
    final VerificationKey key;
    boolean revoked;

    Key(VerificationKey key, boolean revoked) {
      this.key = key;
      this.revoked = revoked;
    }
  }

  final String id;
  final String name;
  final List<String> roles;
  boolean suspended;
  final TreeMap<String, Key> keys = new TreeMap<>();
  boolean dirty;

  Participant(String id, String name, List<String> roles) {
    this.id = id;
    this.name = name;
    this.roles = List.copyOf(roles);
  }

  /** Writes the participant in its fixed form (snapshot and state digest). */
  void write(DataOutput out) throws IOException {
    out.writeUTF(id);
    out.writeUTF(name);
    out.writeInt(roles.size());
    for (String role : roles) {
      out.writeUTF(role);
    }
    out.writeBoolean(suspended);
    out.writeInt(keys.size());
    for (Key key : keys.values()) {
      out.write(key.key.toBytes());
      out.writeBoolean(key.revoked);
    }
  }
}
