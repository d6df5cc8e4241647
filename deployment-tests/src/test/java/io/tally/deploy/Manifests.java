package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rendered manifests parsed into typed objects: fabric8's Kubernetes model, Strimzi's model for its
 * resources, and, for kinds without a model here (CloudNativePG), a generic resource that the
 * policy tests check field by field. A field the model does not know fails the parse, as the API
 * server's strict field validation would refuse it.
 */
final class Manifests {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, Class<? extends HasMetadata>> STRIMZI =
      Map.of(
          "Kafka", Kafka.class,
          "KafkaNodePool", KafkaNodePool.class,
          "KafkaTopic", KafkaTopic.class,
          "KafkaUser", KafkaUser.class);

  private Manifests() {}

  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$", -1)) {
      if (document.isBlank()) {
        continue;
      }
      GenericKubernetesResource generic =
          SERIALIZATION.unmarshal(document, GenericKubernetesResource.class);
      String apiVersion = generic.getApiVersion();
      HasMetadata object;
      if (apiVersion.startsWith("kafka.strimzi.io/")) {
        Class<? extends HasMetadata> type = STRIMZI.get(generic.getKind());
        assertThat(type).as("a Strimzi kind this test knows: %s", generic.getKind()).isNotNull();
        object = SERIALIZATION.unmarshal(document, type);
      } else if (apiVersion.startsWith("postgresql.cnpg.io/")) {
        object = generic;
      } else {
        object = SERIALIZATION.unmarshal(document, HasMetadata.class);
        assertThat(object)
            .as("%s %s has a typed model", generic.getKind(), generic.getMetadata().getName())
            .isNotInstanceOf(GenericKubernetesResource.class);
      }
      if (!(object instanceof GenericKubernetesResource)) {
        refuseUnknownFields(object, generic.getKind() + "/" + generic.getMetadata().getName());
      }
      objects.add(object);
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Fails on any field that landed in a model object's additional properties. */
  static void refuseUnknownFields(Object root, String path) {
    walk(root, path, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static void walk(Object object, String path, Set<Object> seen) {
    if (!seen.add(object)) {
      return;
    }
    if (object instanceof Collection<?> collection) {
      int i = 0;
      for (Object item : collection) {
        if (item != null) {
          walk(item, path + "[" + i++ + "]", seen);
        }
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getValue() != null) {
          walk(entry.getValue(), path + "." + entry.getKey(), seen);
        }
      }
      return;
    }
    String name = object.getClass().getName();
    if (!name.startsWith("io.fabric8.") && !name.startsWith("io.strimzi.")) {
      return;
    }
    for (Method method : object.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || Modifier.isStatic(method.getModifiers())
          || !method.getName().startsWith("get")
          || method.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = method.invoke(object);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (value == null) {
        continue;
      }
      if (method.getName().equals("getAdditionalProperties")) {
        assertThat((Map<?, ?>) value).as("fields no model knows at %s", path).isEmpty();
        continue;
      }
      walk(value, path + "." + field(method.getName()), seen);
    }
  }

  private static String field(String getter) {
    String name = getter.substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
