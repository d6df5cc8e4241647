package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.devstack.Demo;
import io.tally.testing.HostileInput;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml}, exercised: every service it describes starts as a local process in
 * its {@code depends_on} order ({@link LocalDeployment}): the one-shot {@code network-init} runs
 * the CLI into the named volumes, the topic step runs Kafka's own kafka-topics, PostgreSQL runs the
 * generated init.sql, and the services start with exactly their environment, volumes and
 * healthchecks; then two banks settle a delivery versus payment through the gateway.
 */
class DockerComposeIT {

  @TempDir Path work;

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void theComposeFilesServicesStartAsDescribedAndSettleADeliveryVersusPayment() throws Exception {
    Path volumes = work.resolve("volumes");
    List<Workload> services =
        ComposeWorkloads.services(
            ComposeWorkloads.read(Repository.ROOT.resolve("docker-compose.yml")), volumes);
    assertThat(services)
        .extracting(Workload::name)
        .contains("network-init", "kafka", "postgres", "gateway");
    try (LocalDeployment compose = new LocalDeployment(work, services)) {
      compose.start(services, System.out);
      // Actuator on a port of its own, as containers run it: hostile requests get Problem
      // Details there too, not Tomcat's or Boot's own error pages.
      for (String service : List.of("gateway", "ledger", "validator-a", "identity")) {
        new HostileInput()
            .everyService("/actuator/health")
            .pathParameter("GET", "/actuator/health/{}", null)
            .queryParameter("/actuator/health", "x", false)
            // As on the API's port: a name Actuator does not know is 404, a parameter ignored.
            .except("over-long")
            .except("control character")
            .runAgainst(new InetSocketAddress(compose.address(service), 8081));
      }
      Path network = volumes.resolve("tally-network");
      new Demo(
              network,
              URI.create("http://" + compose.address("gateway") + ":8080"),
              URI.create("http://" + compose.address("identity") + ":8080"),
              System.out,
              "admin-a",
              "admin-b")
          .run();
      assertThat(network.resolve("demo-receipt.json")).exists();
    }
  }
}
