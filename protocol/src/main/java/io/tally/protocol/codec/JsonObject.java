package io.tally.protocol.codec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable JSON object read by {@link JsonReader}, with typed accessors that throw a {@link
 * JsonException} naming the member when the shape is wrong.
 */
public final class JsonObject {

  /** The JSON {@code null} value. */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private final Map<String, Object> members;

  JsonObject(Map<String, Object> members) {
    this.members = members;
  }

  /** Member names in document order. */
  public Set<String> names() {
    return members.keySet();
  }

  public boolean has(String name) {
    return members.containsKey(name);
  }

  /** Whether the member is present with the value {@code null}. */
  public boolean isNull(String name) {
    return members.get(name) == NULL;
  }

  /** Fails unless every member name is one of {@code allowed}. */
  public JsonObject requireOnly(Set<String> allowed) throws JsonException {
    for (String name : members.keySet()) {
      if (!allowed.contains(name)) {
        throw new JsonException("unexpected member \"" + name + "\"");
      }
    }
    return this;
  }

  public String string(String name) throws JsonException {
    return require(name, String.class, "a string");
  }

  public Optional<String> optionalString(String name) throws JsonException {
    return has(name) ? Optional.of(string(name)) : Optional.empty();
  }

  public long integer(String name) throws JsonException {
    return require(name, Long.class, "an integer");
  }

  public boolean bool(String name) throws JsonException {
    return require(name, Boolean.class, "true or false");
  }

  public JsonObject object(String name) throws JsonException {
    return require(name, JsonObject.class, "an object");
  }

  /** The array member {@code name} with at most {@code itemsMax} items. */
  public List<Object> array(String name, int itemsMax) throws JsonException {
    List<?> list = require(name, List.class, "an array");
    if (list.size() > itemsMax) {
      throw new JsonException("\"" + name + "\" has more than " + itemsMax + " items");
    }
    @SuppressWarnings("unchecked") // JsonReader builds every array as a List<Object>.
    List<Object> items = (List<Object>) list;
    return items;
  }

  private <T> T require(String name, Class<T> type, String what) throws JsonException {
    Object value = members.get(name);
    if (value == null) {
      throw new JsonException("missing member \"" + name + "\"");
    }
    if (!type.isInstance(value)) {
      throw new JsonException("\"" + name + "\" must be " + what);
    }
    return type.cast(value);
  }
}
