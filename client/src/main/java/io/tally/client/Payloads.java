package io.tally.client;

import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.keys.VerificationKey;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** Writes instruction and governance payloads in the shape the engine reads (no whitespace). */
final class Payloads {

  private Payloads() {}

  static byte[] write(String id, String kind, long notAfter, Consumer<JsonWriter> members) {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("id", id)
            .member("kind", kind)
            .member("notAfter", notAfter);
    members.accept(json);
    return json.endObject().toUtf8();
  }

  static void strings(JsonWriter json, String name, Collection<String> values) {
    json.name(name).beginArray();
    values.forEach(json::value);
    json.endArray();
  }

  static void legs(JsonWriter json, List<Leg> legs) {
    json.name("legs").beginArray();
    for (Leg leg : legs) {
      json.beginObject()
          .member("debit", leg.debit())
          .member("credit", leg.credit())
          .member("asset", leg.asset())
          .member("amount", leg.amount())
          .endObject();
    }
    json.endArray();
  }

  static void key(JsonWriter json, String name, VerificationKey key) {
    json.name(name);
    key.toJwk().writeTo(json);
  }
}
