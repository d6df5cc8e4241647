package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Kustomize overlay rendered with {@code kubectl kustomize} and parsed into typed objects
 * ({@link Manifests}: unknown fields refused), then the rules a platform team would check before an
 * apply: limits, probes, a restricted security context, one key per replica, and network policies
 * that allow the flows of docs/architecture.md and nothing else.
 */
class KubernetesManifestsTest {

  private static final List<String> TALLY = List.of("gateway", "identity", "validator", "ledger");
  private static final List<String> COMPONENTS =
      List.of("gateway", "identity", "validator", "ledger", "kafka", "postgres");

  private static List<HasMetadata> render(String dir) {
    return Manifests.parse(Repository.render(dir));
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "overlays/member"})
  void everyContainerHasLimitsProbesOnADeclaredPortAndARestrictedSecurityContext(String dir) {
    List<HasMetadata> objects = render(dir);
    assertThat(Manifests.ofType(objects, StatefulSet.class)).isNotEmpty();
    for (StatefulSet set : Manifests.ofType(objects, StatefulSet.class)) {
      String name = set.getMetadata().getName();
      PodSpec pod = set.getSpec().getTemplate().getSpec();
      List<Container> containers = new ArrayList<>(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
      for (Container container : containers) {
        String where = name + "/" + container.getName();
        assertThat(container.getResources().getLimits())
            .as("%s limits", where)
            .containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests())
            .as("%s requests", where)
            .containsKeys("cpu", "memory");
        boolean ours = container.getImage().startsWith("tally/");
        for (Probe probe :
            new Probe[] {
              container.getReadinessProbe(),
              container.getLivenessProbe(),
              container.getStartupProbe()
            }) {
          assertThat(probe).as("%s has readiness, liveness and startup probes", where).isNotNull();
          if (probe.getHttpGet() != null) {
            String port = probe.getHttpGet().getPort().getStrVal();
            assertThat(container.getPorts())
                .extracting(ContainerPort::getName)
                .as("%s probe port", where)
                .contains(port);
          } else {
            assertThat(ours).as("%s: a Tally container's probes are HTTP", where).isFalse();
            if (probe.getTcpSocket() != null) {
              assertThat(container.getPorts())
                  .extracting(ContainerPort::getName)
                  .as("%s probe port", where)
                  .contains(probe.getTcpSocket().getPort().getStrVal());
            } else {
              assertThat(probe.getExec())
                  .as("%s probe: exec, tcpSocket or httpGet", where)
                  .isNotNull();
            }
          }
        }
        if (ours) {
          assertThat(container.getReadinessProbe().getHttpGet().getPath())
              .isEqualTo("/actuator/health/readiness");
          assertThat(container.getLivenessProbe().getHttpGet().getPath())
              .isEqualTo("/actuator/health/liveness");
          assertThat(container.getStartupProbe().getHttpGet().getPath())
              .isEqualTo("/actuator/health/liveness");
          assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal())
              .isEqualTo("management");
          assertThat(port(container, "management")).isEqualTo(8081);
          assertThat(env(container, "MANAGEMENT_SERVER_PORT")).isEqualTo("8081");
          assertThat(port(container, "http")).isEqualTo(8080);
          assertThat(env(container, "SERVER_PORT")).isEqualTo("8080");
          assertThat(env(container, "TALLY_BIND_ADDRESS")).isEqualTo("0.0.0.0");
        }
        PodSecurityContext podSecurity = pod.getSecurityContext();
        SecurityContext security = container.getSecurityContext();
        assertThat(security).as("%s securityContext", where).isNotNull();
        assertThat(
                Boolean.TRUE.equals(security.getRunAsNonRoot())
                    || (podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot())))
            .as("%s runs as non-root", where)
            .isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).as("%s read-only root FS", where).isTrue();
        assertThat(security.getAllowPrivilegeEscalation())
            .as("%s privilege escalation", where)
            .isFalse();
        assertThat(security.getCapabilities().getDrop())
            .as("%s drops all capabilities", where)
            .containsExactly("ALL");
        String seccomp =
            security.getSeccompProfile() != null
                ? security.getSeccompProfile().getType()
                : podSecurity == null || podSecurity.getSeccompProfile() == null
                    ? null
                    : podSecurity.getSeccompProfile().getType();
        assertThat(seccomp).as("%s seccomp", where).isEqualTo("RuntimeDefault");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod", "overlays/member"})
  void everyValidatorAndGatewayReplicaMountsAKeySecretOfItsOwn(String dir) {
    List<HasMetadata> objects = render(dir);
    Set<String> keySecrets = new HashSet<>();
    int keyed = 0;
    for (StatefulSet set : Manifests.ofType(objects, StatefulSet.class)) {
      String component =
          set.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component");
      if (!TALLY.contains(component)) {
        continue;
      }
      String name = set.getMetadata().getName();
      // One process per instance key: a second replica would share the first one's key.
      assertThat(set.getSpec().getReplicas()).as("%s replicas", name).isEqualTo(1);
      Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
      List<String> keys = new ArrayList<>();
      for (VolumeMount mount : container.getVolumeMounts()) {
        if (!mount.getMountPath().startsWith("/etc/tally/keys/")) {
          continue;
        }
        Volume volume =
            set.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret()).as("%s: keys come from Secrets", name).isNotNull();
        keys.add(volume.getSecret().getSecretName());
        assertThat(
                env(container, "TALLY_INSTANCE_KEY_FILE").startsWith(mount.getMountPath() + "/")
                    || ("validator".equals(component)
                        && env(container, "TALLY_VALIDATOR_KEY_FILE")
                            .startsWith(mount.getMountPath() + "/")))
            .as("%s: a key variable names the file in %s", name, mount.getMountPath())
            .isTrue();
      }
      assertThat(keys).as("%s key Secrets", name).hasSize("validator".equals(component) ? 2 : 1);
      for (String key : keys) {
        assertThat(keySecrets.add(key)).as("%s's key Secret %s is its own", name, key).isTrue();
      }
      String instance = env(container, "TALLY_INSTANCE_ID");
      // base, dev and prod name the instance; the member overlay reads it from a ConfigMap.
      if (!instance.isEmpty()) {
        assertThat(keys)
            .as("%s mounts the key of instance %s", name, instance)
            .contains("tally-key-" + instance);
      }
      if ("validator".equals(component) || "gateway".equals(component)) {
        keyed++;
      }
    }
    assertThat(keyed)
        .as("validators and gateways in %s", dir)
        .isGreaterThanOrEqualTo(dir.endsWith("member") ? 2 : 6);
  }

  /** The flows of docs/architecture.md ("Deployment"): from, to, port. */
  private static Set<String> documentedFlows(int kafkaPort) {
    Set<String> flows = new TreeSet<>();
    flows.add("ns:ingress-nginx -> gateway:8080");
    flows.add("ns:ingress-nginx -> identity:8080");
    flows.add("gateway -> ledger:8080");
    for (String service : TALLY) {
      flows.add(service + " -> kafka:" + kafkaPort);
      flows.add("ns:monitoring -> " + service + ":8081");
    }
    for (String service : List.of("identity", "validator", "ledger")) {
      flows.add(service + " -> postgres:5432");
    }
    for (String component : COMPONENTS) {
      flows.add(component + " -> ns:kube-system:53");
    }
    return flows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev"})
  void theNetworkPoliciesAllowTheDocumentedFlowsAndNothingElse(String dir) {
    List<NetworkPolicy> policies = Manifests.ofType(render(dir), NetworkPolicy.class);
    assertThat(policies)
        .anySatisfy(
            p -> {
              assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
              assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
              assertThat(p.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
            });
    List<String> peers = new ArrayList<>(COMPONENTS);
    peers.addAll(List.of("ns:ingress-nginx", "ns:monitoring", "ns:kube-system"));
    Set<String> allowed = new TreeSet<>();
    for (String from : peers) {
      for (String to : peers) {
        for (int port : new int[] {53, 5432, 8080, 8081, 9092, 9093}) {
          boolean fromInside = !from.startsWith("ns:");
          boolean toInside = !to.startsWith("ns:");
          if (!fromInside && !toInside) {
            continue;
          }
          boolean egress = !fromInside || allows(policies, from, "Egress", to, port);
          boolean ingress = !toInside || allows(policies, to, "Ingress", from, port);
          if (egress && ingress) {
            allowed.add(from + " -> " + to + ":" + port);
          }
        }
      }
    }
    assertThat(allowed).isEqualTo(documentedFlows(9092));
  }

  @Test
  void productionTallyPodsSendOnlyTheDocumentedFlowsAndKafkaIsReachedOverTls() {
    List<NetworkPolicy> policies = Manifests.ofType(render("overlays/prod"), NetworkPolicy.class);
    Set<String> sent = new TreeSet<>();
    for (String from : TALLY) {
      for (String to :
          List.of(
              "gateway",
              "identity",
              "validator",
              "ledger",
              "kafka",
              "postgres",
              "ns:kube-system")) {
        for (int port : new int[] {53, 5432, 8080, 8081, 9092, 9093}) {
          if (allows(policies, from, "Egress", to, port)) {
            sent.add(from + " -> " + to + ":" + port);
          }
        }
      }
    }
    Set<String> expected = new TreeSet<>();
    for (String flow : documentedFlows(9093)) {
      String from = flow.substring(0, flow.indexOf(' '));
      if (TALLY.contains(from)) {
        expected.add(flow);
      }
    }
    assertThat(sent).isEqualTo(expected);
  }

  @Test
  void productionTopicsAreReplicatedThreeTimesAndEachServiceMayWriteOnlyWhatItsRoleWrites() {
    List<HasMetadata> objects = render("overlays/prod");
    Map<String, KafkaTopic> topics = new HashMap<>();
    for (KafkaTopic topic : Manifests.ofType(objects, KafkaTopic.class)) {
      String name =
          topic.getSpec().getTopicName() == null
              ? topic.getMetadata().getName()
              : topic.getSpec().getTopicName();
      topics.put(name, topic);
      assertThat(topic.getSpec().getReplicas()).as(name).isEqualTo(3);
      assertThat(topic.getSpec().getPartitions()).as(name).isEqualTo(1);
      assertThat(String.valueOf(topic.getSpec().getConfig().get("min.insync.replicas")))
          .as(name)
          .isEqualTo("2");
      assertThat(String.valueOf(topic.getSpec().getConfig().get("unclean.leader.election.enable")))
          .as(name)
          .isEqualTo("false");
    }
    assertThat(topics)
        .containsOnlyKeys("tally.log", "tally.votes", "tally.finalized", "tally.webhooks");
    assertThat(topics.get("tally.webhooks").getSpec().getConfig())
        .containsEntry("cleanup.policy", "compact");
    Map<String, Object> log = topics.get("tally.log").getSpec().getConfig();
    assertThat(log).containsEntry("message.timestamp.type", "LogAppendTime");
    assertThat(String.valueOf(log.get("retention.ms"))).isEqualTo("-1");
    assertThat(String.valueOf(topics.get("tally.votes").getSpec().getConfig().get("retention.ms")))
        .isEqualTo("-1");

    Map<String, Set<String>> writes =
        Map.of(
            "validator", Set.of("tally.log", "tally.votes"),
            "ledger", Set.of("tally.finalized"),
            "gateway", Set.of("tally.log", "tally.webhooks"),
            "identity", Set.of("tally.log"));
    Map<String, Set<String>> reads =
        Map.of(
            "validator", Set.of("tally.log", "tally.votes"),
            "ledger", Set.of("tally.log", "tally.votes"),
            "gateway", Set.of("tally.log", "tally.finalized", "tally.webhooks"),
            "identity", Set.of("tally.log", "tally.finalized"));
    List<KafkaUser> users = Manifests.ofType(objects, KafkaUser.class);
    assertThat(users).hasSize(8);
    for (KafkaUser user : users) {
      String name = user.getMetadata().getName();
      String role = name.startsWith("validator-") ? "validator" : name.replaceAll("-.*", "");
      assertThat(writes).as("the role of KafkaUser %s", name).containsKey(role);
      Set<String> written = new TreeSet<>();
      Set<String> read = new TreeSet<>();
      for (AclRule rule :
          ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
        AclRuleTopicResource topic = (AclRuleTopicResource) rule.getResource();
        assertThat(topic.getPatternType().toValue())
            .as("%s: literal topic names", name)
            .isEqualTo("literal");
        List<String> operations = rule.getOperations().stream().map(o -> o.toValue()).toList();
        if (operations.contains("Write")) {
          written.add(topic.getName());
        }
        if (operations.contains("Read")) {
          read.add(topic.getName());
        }
        assertThat(operations)
            .as("%s on %s", name, topic.getName())
            .isSubsetOf("Read", "Write", "Describe");
      }
      assertThat(written).as("%s writes", name).isEqualTo(writes.get(role));
      assertThat(read).as("%s reads", name).isEqualTo(reads.get(role));
    }
  }

  private static boolean allows(
      List<NetworkPolicy> policies, String pod, String type, String peer, int port) {
    boolean selected = false;
    for (NetworkPolicy policy : policies) {
      if (!policy.getSpec().getPolicyTypes().contains(type)
          || !selects(policy.getSpec().getPodSelector(), pod)) {
        continue;
      }
      selected = true;
      if (type.equals("Ingress") && policy.getSpec().getIngress() != null) {
        for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
          if (matches(rule.getFrom(), peer) && hasPort(rule.getPorts(), port)) {
            return true;
          }
        }
      }
      if (type.equals("Egress") && policy.getSpec().getEgress() != null) {
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
          if (matches(rule.getTo(), peer) && hasPort(rule.getPorts(), port)) {
            return true;
          }
        }
      }
    }
    assertThat(selected)
        .as("%s is selected by a policy of type %s (default deny)", pod, type)
        .isTrue();
    return false;
  }

  private static boolean matches(@Nullable List<NetworkPolicyPeer> peers, String peer) {
    if (peers == null || peers.isEmpty()) {
      return true; // every peer
    }
    for (NetworkPolicyPeer candidate : peers) {
      if (candidate.getIpBlock() != null) {
        assertThat(candidate.getIpBlock().getCidr())
            .as("an ipBlock that opens everything")
            .isNotEqualTo("0.0.0.0/0");
        continue;
      }
      if (peer.startsWith("ns:")) {
        if (candidate.getNamespaceSelector() != null
            && candidate.getPodSelector() == null
            && Map.of("kubernetes.io/metadata.name", peer.substring(3))
                .entrySet()
                .containsAll(candidate.getNamespaceSelector().getMatchLabels().entrySet())) {
          return true;
        }
      } else if (candidate.getNamespaceSelector() == null
          && selects(candidate.getPodSelector(), peer)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPort(@Nullable List<NetworkPolicyPort> ports, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    return ports.stream()
        .anyMatch(
            p ->
                p.getPort() != null
                    && p.getPort().getIntVal() != null
                    && p.getPort().getIntVal() == port);
  }

  /** Whether {@code selector} selects a Tally pod of {@code component}. */
  private static boolean selects(@Nullable LabelSelector selector, String component) {
    if (selector == null) {
      return false;
    }
    Map<String, String> labels =
        Map.of("app.kubernetes.io/name", "tally", "app.kubernetes.io/component", component);
    if (selector.getMatchLabels() != null
        && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
      return false;
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        String value = labels.get(requirement.getKey());
        boolean in = value != null && requirement.getValues().contains(value);
        switch (requirement.getOperator()) {
          case "In" -> {
            if (!in) return false;
          }
          case "NotIn" -> {
            if (in) return false;
          }
          case "Exists" -> {
            if (value == null) return false;
          }
          case "DoesNotExist" -> {
            if (value != null) return false;
          }
          default -> throw new AssertionError("operator " + requirement.getOperator());
        }
      }
    }
    return true;
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow()
        .getContainerPort();
  }

  private static String env(Container container, String name) {
    for (EnvVar variable : container.getEnv()) {
      if (variable.getName().equals(name)) {
        return variable.getValue() == null ? "" : variable.getValue();
      }
    }
    return "";
  }
}
