package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods a set of rendered objects would run, as {@link Workload}s: every StatefulSet replica,
 * its single container's environment resolved against the Secrets and ConfigMaps given, its volumes
 * written out as files, and the names the cluster's DNS would give it.
 */
final class KubernetesWorkloads {

  private final List<HasMetadata> objects;
  private final Path volumes;

  KubernetesWorkloads(List<HasMetadata> objects, Path volumes) {
    this.objects = objects;
    this.volumes = volumes;
  }

  List<Workload> pods() throws IOException {
    List<Workload> pods = new ArrayList<>();
    List<String> infrastructure = new ArrayList<>();
    for (StatefulSet set : Manifests.ofType(objects, StatefulSet.class)) {
      int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
      for (int ordinal = 0; ordinal < replicas; ordinal++) {
        Workload pod = pod(set, set.getMetadata().getName() + "-" + ordinal);
        if (pod.isKafka() || pod.isPostgres()) {
          infrastructure.add(pod.name());
        }
        pods.add(pod);
      }
    }
    // A pod whose broker or database is not there yet fails and is restarted until it is: here
    // the services simply start after them.
    List<Workload> ordered = new ArrayList<>();
    for (Workload pod : pods) {
      ordered.add(
          pod.isKafka() || pod.isPostgres()
              ? pod
              : new Workload(
                  pod.name(),
                  pod.image(),
                  pod.arguments(),
                  pod.env(),
                  pod.mounts(),
                  pod.hostnames(),
                  pod.ports(),
                  pod.readiness(),
                  false,
                  infrastructure,
                  pod.memoryLimit()));
    }
    return ordered;
  }

  private Workload pod(StatefulSet set, String name) throws IOException {
    String namespace = set.getMetadata().getNamespace();
    PodSpec spec = set.getSpec().getTemplate().getSpec();
    assertThat(spec.getContainers()).as("%s: one container", name).hasSize(1);
    assertThat(spec.getInitContainers()).as("%s: no init containers", name).isNullOrEmpty();
    Container container = spec.getContainers().get(0);
    assertThat(container.getCommand()).as("%s runs its image's ENTRYPOINT", name).isNullOrEmpty();
    assertThat(container.getArgs()).as("%s runs its image's ENTRYPOINT", name).isNullOrEmpty();
    assertThat(container.getEnvFrom()).as("%s: env by name only", name).isNullOrEmpty();

    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar variable : container.getEnv()) {
      env.put(variable.getName(), value(variable, name, namespace));
    }

    Map<String, Path> sources = new LinkedHashMap<>();
    Path podVolumes = volumes.resolve(name);
    for (Volume volume : spec.getVolumes()) {
      sources.put(volume.getName(), materialize(volume, podVolumes.resolve(volume.getName())));
    }
    if (set.getSpec().getVolumeClaimTemplates() != null) {
      for (PersistentVolumeClaim claim : set.getSpec().getVolumeClaimTemplates()) {
        String volume = claim.getMetadata().getName();
        sources.put(volume, Files.createDirectories(podVolumes.resolve(volume)));
      }
    }
    List<Workload.Mount> mounts = new ArrayList<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      assertThat(mount.getSubPath()).as("%s: no subPath", name).isNull();
      Path source = sources.get(mount.getName());
      assertThat(source)
          .as("%s mounts volume %s, which the pod declares", name, mount.getName())
          .isNotNull();
      mounts.add(new Workload.Mount(mount.getMountPath(), source));
    }

    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ContainerPort port : container.getPorts()) {
      ports.put(
          port.getName() == null ? "" + port.getContainerPort() : port.getName(),
          port.getContainerPort());
    }
    List<String> hostnames =
        new ArrayList<>(dnsNames(name + "." + set.getSpec().getServiceName(), namespace));
    hostnames.add(0, name);
    Map<String, String> labels = set.getSpec().getTemplate().getMetadata().getLabels();
    for (Service service : Manifests.ofType(objects, Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector == null
          || selector.isEmpty()
          || !labels.entrySet().containsAll(selector.entrySet())) {
        continue;
      }
      for (ServicePort port : service.getSpec().getPorts()) {
        // Each name resolves to the pod's own address: a Service port must be the container's.
        IntOrString target = port.getTargetPort();
        int targetPort =
            target == null
                ? port.getPort()
                : target.getIntVal() != null
                    ? target.getIntVal()
                    : portNamed(ports, target.getStrVal(), name);
        assertThat(targetPort)
            .as(
                "Service %s port %s reaches %s's port %s",
                service.getMetadata().getName(), port.getPort(), name, targetPort)
            .isEqualTo(port.getPort());
      }
      hostnames.addAll(dnsNames(service.getMetadata().getName(), namespace));
    }

    Probe readiness = container.getReadinessProbe();
    Workload.Probe probe = null;
    if (readiness != null && readiness.getHttpGet() != null) {
      IntOrString port = readiness.getHttpGet().getPort();
      probe =
          new Workload.Probe(
              port.getIntVal() != null
                  ? port.getIntVal()
                  : portNamed(ports, port.getStrVal(), name),
              readiness.getHttpGet().getPath());
    }
    Quantity memory =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("memory");
    return new Workload(
        name,
        container.getImage(),
        null,
        env,
        mounts,
        hostnames,
        List.copyOf(ports.values()),
        probe,
        false,
        List.of(),
        memory == null ? 0 : Quantity.getAmountInBytes(memory).longValueExact());
  }

  private static int portNamed(Map<String, Integer> ports, String portName, String pod) {
    Integer port = ports.get(portName);
    assertThat(port).as("%s declares a port named %s", pod, portName).isNotNull();
    return port;
  }

  private static List<String> dnsNames(String name, String namespace) {
    return List.of(
        name,
        name + "." + namespace,
        name + "." + namespace + ".svc",
        name + "." + namespace + ".svc.cluster.local");
  }

  private String value(EnvVar variable, String pod, String namespace) {
    if (variable.getValueFrom() == null) {
      return variable.getValue() == null ? "" : variable.getValue();
    }
    var from = variable.getValueFrom();
    if (from.getSecretKeyRef() != null) {
      byte[] value =
          secretData(from.getSecretKeyRef().getName()).get(from.getSecretKeyRef().getKey());
      assertThat(value)
          .as(
              "%s: %s from Secret %s key %s",
              pod,
              variable.getName(),
              from.getSecretKeyRef().getName(),
              from.getSecretKeyRef().getKey())
          .isNotNull();
      return new String(value, StandardCharsets.UTF_8);
    }
    if (from.getConfigMapKeyRef() != null) {
      byte[] value =
          configMapData(from.getConfigMapKeyRef().getName())
              .get(from.getConfigMapKeyRef().getKey());
      assertThat(value)
          .as(
              "%s: %s from ConfigMap %s key %s",
              pod,
              variable.getName(),
              from.getConfigMapKeyRef().getName(),
              from.getConfigMapKeyRef().getKey())
          .isNotNull();
      return new String(value, StandardCharsets.UTF_8);
    }
    if (from.getFieldRef() != null) {
      String field = from.getFieldRef().getFieldPath();
      if (field.equals("metadata.name")) {
        return pod;
      }
      if (field.equals("metadata.namespace")) {
        return namespace;
      }
      throw new AssertionError(
          pod + ": " + variable.getName() + " from field " + field + " is not supported here");
    }
    throw new AssertionError(
        pod + ": " + variable.getName() + " has a source this test does not support");
  }

  private Path materialize(Volume volume, Path dir) throws IOException {
    Files.createDirectories(dir);
    if (volume.getEmptyDir() != null) {
      return dir;
    }
    Map<String, byte[]> data;
    List<KeyToPath> items;
    if (volume.getSecret() != null) {
      data = secretData(volume.getSecret().getSecretName());
      items = volume.getSecret().getItems();
    } else if (volume.getConfigMap() != null) {
      data = configMapData(volume.getConfigMap().getName());
      items = volume.getConfigMap().getItems();
    } else {
      throw new AssertionError(
          "volume "
              + volume.getName()
              + ": only secret, configMap and emptyDir volumes are supported here");
    }
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, byte[]> entry : data.entrySet()) {
        Files.write(dir.resolve(entry.getKey()), entry.getValue());
      }
    } else {
      for (KeyToPath item : items) {
        byte[] value = data.get(item.getKey());
        assertThat(value)
            .as("volume %s: key %s exists", volume.getName(), item.getKey())
            .isNotNull();
        Path file = dir.resolve(item.getPath());
        Files.createDirectories(file.getParent());
        Files.write(file, value);
      }
    }
    return dir;
  }

  private Map<String, byte[]> secretData(String name) {
    Secret secret =
        Manifests.ofType(objects, Secret.class).stream()
            .filter(s -> s.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no Secret "
                            + name
                            + " (tally network init writes the ones the manifests name)"));
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    return data;
  }

  private Map<String, byte[]> configMapData(String name) {
    ConfigMap map =
        Manifests.ofType(objects, ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (map.getData() != null) {
      map.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (map.getBinaryData() != null) {
      map.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    return data;
  }
}
