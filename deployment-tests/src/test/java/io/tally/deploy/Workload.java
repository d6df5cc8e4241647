package io.tally.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One container as a manifest describes it, with its mounted files already materialized: what
 * {@link LocalDeployment} starts as a local process (or replaces with a real local server).
 *
 * @param name the pod or compose service name
 * @param arguments arguments after the image's ENTRYPOINT (compose {@code command}), or null
 * @param env the container's environment, every reference resolved
 * @param mounts each mount path and the local directory holding its files
 * @param hostnames the names that resolve to this workload (Services, the pod's own DNS names)
 * @param ports the container ports it declares (or, for compose, that its settings name)
 * @param readiness what the orchestrator polls before it counts the workload ready, or null
 * @param oneShot a job that must end with exit status 0 (compose {@code restart: "no"})
 * @param dependsOn workloads that must be ready (or done, for one-shots) before this one starts
 * @param memoryLimit the container's memory limit in bytes, 0 if none
 */
record Workload(
    String name,
    String image,
    @Nullable List<String> arguments,
    Map<String, String> env,
    List<Mount> mounts,
    List<String> hostnames,
    List<Integer> ports,
    @Nullable Probe readiness,
    boolean oneShot,
    List<String> dependsOn,
    long memoryLimit) {

  record Mount(String path, Path source) {}

  /** An HTTP GET on the workload's own address that must answer 200. */
  record Probe(int port, String path) {}

  boolean isKafka() {
    return image.startsWith("apache/kafka:");
  }

  boolean isPostgres() {
    return image.startsWith("postgres:");
  }
}
