package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The containers {@code docker-compose.yml} describes, as {@link Workload}s: named volumes shared
 * between services as directories, tmpfs as fresh ones, healthchecks of the form {@code ["CMD",
 * "curl", "-fsS", URL]} as readiness, {@code depends_on} as the start order.
 */
final class ComposeWorkloads {

  private static final Pattern CURL_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)(/.*)");

  private ComposeWorkloads() {}

  @SuppressWarnings("unchecked") // the YAML tree: maps, lists and scalars, checked as read
  static Map<String, Object> read(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }

  @SuppressWarnings("unchecked") // the YAML tree: maps, lists and scalars, checked as read
  static List<Workload> services(Map<String, Object> compose, Path volumes) throws IOException {
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).as("services in docker-compose.yml").isNotNull();
    List<Workload> workloads = new ArrayList<>();
    for (Map.Entry<String, Object> entry : services.entrySet()) {
      String name = entry.getKey();
      Map<String, Object> service = (Map<String, Object>) entry.getValue();
      String image = (String) service.get("image");
      assertThat(image).as("%s has an image", name).isNotNull();

      Map<String, String> env = new LinkedHashMap<>();
      Object environment = service.get("environment");
      if (environment != null) {
        assertThat(environment).as("%s: environment as a map", name).isInstanceOf(Map.class);
        ((Map<String, Object>) environment).forEach((k, v) -> env.put(k, String.valueOf(v)));
      }

      List<Workload.Mount> mounts = new ArrayList<>();
      for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
        String[] parts = ((String) volume).split(":", -1);
        assertThat(parts.length)
            .as("%s: volume %s is NAME:PATH[:ro]", name, volume)
            .isBetween(2, 3);
        assertThat(parts[0])
            .as("%s: named volumes only", name)
            .doesNotStartWith("/")
            .doesNotStartWith(".");
        assertThat((Map<String, Object>) compose.get("volumes"))
            .as("volume %s is declared", parts[0])
            .containsKey(parts[0]);
        mounts.add(
            new Workload.Mount(parts[1], Files.createDirectories(volumes.resolve(parts[0]))));
      }
      Object tmpfs = service.get("tmpfs");
      if (tmpfs != null) {
        for (Object path : tmpfs instanceof List<?> list ? list : List.of(tmpfs)) {
          mounts.add(
              new Workload.Mount(
                  (String) path,
                  Files.createDirectories(
                      volumes.resolve("tmpfs-" + name + ((String) path).replace('/', '-')))));
        }
      }

      Workload.Probe probe = null;
      Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
      if (healthcheck != null && image.startsWith("tally/")) {
        List<Object> test = (List<Object>) healthcheck.get("test");
        assertThat(test)
            .as("%s: healthcheck [CMD, curl, -fsS, URL]", name)
            .hasSize(4)
            .startsWith("CMD", "curl", "-fsS");
        Matcher url = CURL_URL.matcher((String) test.get(3));
        assertThat(url.matches())
            .as("%s: healthcheck on the container's own address", name)
            .isTrue();
        probe = new Workload.Probe(Integer.parseInt(url.group(1)), url.group(2));
      }

      List<Integer> ports = new ArrayList<>();
      if (image.startsWith("apache/kafka:") && env.containsKey("KAFKA_ADVERTISED_LISTENERS")) {
        Matcher advertised =
            Pattern.compile("PLAINTEXT://" + Pattern.quote(name) + ":(\\d+)")
                .matcher(env.get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(advertised.find()).as("%s advertises PLAINTEXT://%s:PORT", name, name).isTrue();
        ports.add(Integer.parseInt(advertised.group(1)));
      }

      List<String> dependsOn = new ArrayList<>();
      Object depends = service.get("depends_on");
      if (depends instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> dependency : map.entrySet()) {
          String condition =
              String.valueOf(((Map<String, Object>) dependency.getValue()).get("condition"));
          assertThat(condition)
              .as("%s waits for %s", name, dependency.getKey())
              .isIn("service_healthy", "service_completed_successfully");
          dependsOn.add((String) dependency.getKey());
        }
      } else {
        assertThat(depends).as("%s: depends_on with conditions", name).isNull();
      }

      List<String> hostnames = new ArrayList<>(List.of(name));
      if (service.get("hostname") instanceof String hostname && !hostname.equals(name)) {
        hostnames.add(hostname);
      }
      List<String> arguments = null;
      if (service.get("command") != null) {
        assertThat(service.get("command"))
            .as("%s: command as a list", name)
            .isInstanceOf(List.class);
        arguments = ((List<Object>) service.get("command")).stream().map(String::valueOf).toList();
      }
      boolean oneShot = "no".equals(String.valueOf(service.get("restart")));
      workloads.add(
          new Workload(
              name,
              image,
              arguments,
              env,
              mounts,
              hostnames,
              ports,
              probe,
              oneShot,
              dependsOn,
              bytes(service.get("mem_limit"))));
    }
    return workloads;
  }

  /** {@code 768m}, {@code 1g}, ... in bytes; 0 without a limit. */
  static long bytes(Object limit) {
    if (limit == null) {
      return 0;
    }
    Matcher size =
        Pattern.compile("(\\d+)([kmg]?)b?").matcher(String.valueOf(limit).toLowerCase(Locale.ROOT));
    assertThat(size.matches()).as("a memory limit: %s", limit).isTrue();
    long value = Long.parseLong(size.group(1));
    return switch (size.group(2)) {
      case "k" -> value << 10;
      case "m" -> value << 20;
      case "g" -> value << 30;
      default -> value;
    };
  }
}
