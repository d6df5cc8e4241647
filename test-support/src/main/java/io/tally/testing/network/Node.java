package io.tally.testing.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a local network as a {@link NetworkPlan} describes it: its name (the validator's or
 * the instance's id) and the Spring properties it runs with, in the order they were added. A node
 * is a value: {@link #with} returns a copy, so a caller's tuning never leaks into the plan.
 */
public record Node(String name, Map<String, String> properties) {

  public Node {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /** This node with property {@code key} set to {@code value} (added, or replacing the plan's). */
  public Node with(String key, String value) {
    Map<String, String> changed = new LinkedHashMap<>(properties);
    changed.put(key, value);
    return new Node(name, changed);
  }

  /** The value of property {@code key}; a key the node does not have is a bug of the caller. */
  public String property(String key) {
    String value = properties.get(key);
    if (value == null) {
      throw new IllegalArgumentException(name + " has no property " + key);
    }
    return value;
  }

  /** The JDBC URL of the node's own database. */
  public String database() {
    return property("spring.datasource.url");
  }

  /**
   * The properties as command-line arguments ({@code --key=value}): they win over the service's own
   * {@code <service>.yml}, in this JVM and in a process of its own alike.
   */
  public List<String> arguments() {
    List<String> arguments = new ArrayList<>(properties.size());
    properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
    return arguments;
  }
}
