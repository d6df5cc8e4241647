package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link KubernetesDevOverlayIT} would start fails before it starts anything when a manifest
 * names a volume, a port or a Secret key that does not exist, and mount paths in values are
 * replaced only where they are whole path segments.
 */
class KubernetesWorkloadsTest {

  @TempDir Path work;
  private List<HasMetadata> objects;

  @BeforeEach
  void renderTheDevOverlayWithANetworkKit() {
    objects = new ArrayList<>(Repository.overlayWithNetworkKit("overlays/dev", work));
  }

  private StatefulSet set(String name) {
    return Manifests.ofType(objects, StatefulSet.class).stream()
        .filter(s -> s.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theUnchangedOverlayGivesEveryPodItsFilesAndNames() throws Exception {
    List<Workload> pods = new KubernetesWorkloads(objects, work.resolve("volumes")).pods();
    Workload ledger =
        pods.stream().filter(p -> p.name().equals("ledger-a-0")).findFirst().orElseThrow();
    assertThat(ledger.hostnames()).contains("ledger", "ledger.tally.svc.cluster.local");
    assertThat(ledger.env()).containsEntry("SPRING_DATASOURCE_USERNAME", "ledger_a");
    assertThat(ledger.readiness())
        .isEqualTo(new Workload.Probe(8081, "/actuator/health/readiness"));
    assertThat(ledger.dependsOn()).containsExactlyInAnyOrder("kafka-0", "postgres-0");
    Workload.Mount genesis =
        ledger.mounts().stream()
            .filter(m -> m.path().equals("/etc/tally/genesis"))
            .findFirst()
            .orElseThrow();
    assertThat(genesis.source().resolve("network.json")).exists();
  }

  @Test
  void aMountOfAVolumeThePodDoesNotDeclareFails() {
    set("ledger-a")
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getVolumeMounts()
        .get(0)
        .setName("genesys");
    assertThatThrownBy(() -> new KubernetesWorkloads(objects, work.resolve("volumes")).pods())
        .hasMessageContaining("mounts volume genesys");
  }

  @Test
  void aServicePortThatIsNotTheContainersFails() {
    Service ledger =
        Manifests.ofType(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("ledger"))
            .findFirst()
            .orElseThrow();
    ledger.getSpec().getPorts().get(0).setTargetPort(new IntOrString("management"));
    assertThatThrownBy(() -> new KubernetesWorkloads(objects, work.resolve("volumes")).pods())
        .hasMessageContaining("Service ledger port 8080");
  }

  @Test
  void aVariableFromASecretKeyThatDoesNotExistFails() {
    EnvVar password =
        set("validator-b")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv()
            .stream()
            .filter(e -> e.getName().equals("SPRING_DATASOURCE_PASSWORD"))
            .findFirst()
            .orElseThrow();
    password.getValueFrom().getSecretKeyRef().setKey("passwd");
    assertThatThrownBy(() -> new KubernetesWorkloads(objects, work.resolve("volumes")).pods())
        .hasMessageContaining("key passwd");
  }

  @Test
  void mountPathsAreReplacedOnlyAsWholeSegments() {
    List<Workload.Mount> mounts =
        List.of(
            new Workload.Mount("/tally", Path.of("/run/v")),
            new Workload.Mount("/tally/db", Path.of("/run/db")),
            new Workload.Mount("/etc/tally/kafka-ca", Path.of("/run/ca")));
    assertThat(LocalDeployment.rewrite("/tally/network.json", mounts))
        .isEqualTo("/run/v/network.json");
    assertThat(LocalDeployment.rewrite("configtree:/tally/db/ledger_a/", mounts))
        .isEqualTo("configtree:/run/db/ledger_a/");
    assertThat(LocalDeployment.rewrite("file:/etc/tally/kafka-ca/ca.p12", mounts))
        .isEqualTo("file:/run/ca/ca.p12");
    assertThat(LocalDeployment.rewrite("/tallyx/a", mounts)).isEqualTo("/tallyx/a");
    assertThat(LocalDeployment.rewrite("http://ledger:8080/tally", mounts))
        .isEqualTo("http://ledger:8080/tally");
  }
}
