package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml} as Docker would take it ({@code docker-compose config -q}, which needs
 * no engine), and the rules it keeps: every Tally container non-root with a read-only root
 * filesystem, a memory limit and a readiness healthcheck; only the gateway and identity published,
 * on loopback.
 */
class ComposeFileTest {

  @TempDir Path work;

  @Test
  void dockerComposeAcceptsTheFile() {
    Repository.requireTool("docker-compose", "version");
    Repository.ProcessResult config =
        Repository.run(
            List.of(
                "docker-compose",
                "-f",
                Repository.ROOT.resolve("docker-compose.yml").toString(),
                "config",
                "-q"),
            work);
    assertThat(config.exit()).as(config.err()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked") // the YAML tree
  void everyTallyContainerIsNonRootReadOnlyLimitedAndHealthChecked() throws Exception {
    Map<String, Object> compose =
        ComposeWorkloads.read(Repository.ROOT.resolve("docker-compose.yml"));
    List<Workload> workloads = ComposeWorkloads.services(compose, work);
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    for (Workload workload : workloads) {
      Map<String, Object> service = (Map<String, Object>) services.get(workload.name());
      assertThat(workload.memoryLimit()).as("%s mem_limit", workload.name()).isPositive();
      if (!workload.image().startsWith("tally/")) {
        continue;
      }
      assertThat(service)
          .as(workload.name())
          .containsEntry("user", "10001:10001")
          .containsEntry("read_only", true);
      Repository.jarOf(workload.image());
      if (workload.oneShot()) {
        continue;
      }
      assertThat(workload.readiness()).as("%s healthcheck", workload.name()).isNotNull();
      assertThat(workload.readiness().path()).isEqualTo("/actuator/health/readiness");
      assertThat(workload.readiness().port())
          .isEqualTo(Integer.parseInt(workload.env().get("MANAGEMENT_SERVER_PORT")));
      assertThat(workload.env())
          .containsEntry("TALLY_BIND_ADDRESS", "0.0.0.0")
          .containsEntry("SERVER_PORT", "8080");
      List<Object> ports = (List<Object>) service.getOrDefault("ports", List.of());
      if (workload.name().equals("gateway") || workload.name().equals("identity")) {
        assertThat(ports)
            .as("%s is published on loopback only", workload.name())
            .allSatisfy(p -> assertThat(String.valueOf(p)).startsWith("127.0.0.1:"));
      } else {
        assertThat(ports).as("%s is not published", workload.name()).isEmpty();
      }
    }
  }
}
