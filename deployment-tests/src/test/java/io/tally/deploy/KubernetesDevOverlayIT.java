package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.tally.devstack.Demo;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
    List<HasMetadata> objects = Repository.overlayWithNetworkKit("overlays/dev", work);
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
