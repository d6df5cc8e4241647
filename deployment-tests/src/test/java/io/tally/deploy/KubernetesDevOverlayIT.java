package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.tally.devstack.Demo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dev} overlay, exercised: {@code tally network init} writes a network's Secrets and
 * ConfigMaps as the README says, {@code kubectl kustomize} renders both, and every pod they
 * describe starts as a local process with exactly its environment, files and ports ({@link
 * LocalDeployment}); once every readiness probe answers, two banks are onboarded through governance
 * and settle a delivery versus payment through the gateway, whose receipt verifies against the
 * genesis alone.
 */
class KubernetesDevOverlayIT {

  @TempDir Path work;

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void theDevOverlaysPodsStartFromTheirManifestsAndSettleADeliveryVersusPayment() throws Exception {
    Path kit = work.resolve("network");
    Repository.ProcessResult init =
        Repository.run(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Repository.ROOT.resolve("cli/target/tally-exec.jar").toString(),
                "network",
                "init",
                "--out",
                kit.toString()),
            work);
    assertThat(init.exit()).as(init.err()).isZero();

    List<HasMetadata> objects = new ArrayList<>(Manifests.parse(Repository.render("overlays/dev")));
    Repository.ProcessResult secrets =
        Repository.run(
            List.of("kubectl", "kustomize", kit.resolve("kubernetes/network").toString()), work);
    assertThat(secrets.exit()).as(secrets.err()).isZero();
    objects.addAll(Manifests.parse(secrets.out()));

    List<Workload> pods = new KubernetesWorkloads(objects, work.resolve("volumes")).pods();
    assertThat(pods)
        .extracting(Workload::name)
        .contains("kafka-0", "postgres-0", "identity-0", "gateway-a-0");
    try (LocalDeployment cluster = new LocalDeployment(work, pods)) {
      cluster.start(pods, System.out);
      Files.createDirectories(kit.resolve("demo"));
      new Demo(
              kit,
              URI.create("http://" + cluster.address("gateway-a-0") + ":8080"),
              URI.create("http://" + cluster.address("identity-0") + ":8080"),
              System.out,
              "admin-a",
              "admin-b")
          .run();
      assertThat(kit.resolve("demo-receipt.json")).exists();
    }
  }
}
