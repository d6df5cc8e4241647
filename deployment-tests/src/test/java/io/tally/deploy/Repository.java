package io.tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** The repository's deployment files and build outputs, and the tools that read them offline. */
final class Repository {

  static final Path ROOT =
      Path.of(System.getProperty("tally.root", "..")).toAbsolutePath().normalize();

  private Repository() {}

  /** {@code kubectl kustomize k8s/<dir>}: the objects an apply would send, as YAML. */
  static String render(String dir) {
    requireTool("kubectl", "version", "--client");
    Path work = ROOT.resolve("deployment-tests/target");
    ProcessResult result =
        run(List.of("kubectl", "kustomize", ROOT.resolve("k8s").resolve(dir).toString()), work);
    assertThat(result.exit()).as("kubectl kustomize k8s/%s: %s", dir, result.err()).isZero();
    return result.out();
  }

  /**
   * Skips the calling test when {@code tool} is not installed. CI installs every tool these tests
   * use and {@code .ci/run} fails before the tests when one is missing, so a skip never hides
   * there.
   */
  static void requireTool(String tool, String... versionArgs) {
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(versionArgs));
    boolean present;
    try {
      present = run(command, ROOT).exit() == 0;
    } catch (IllegalStateException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, tool + " is not installed (.ci/run installs it)");
  }

  record ProcessResult(int exit, String out, String err) {}

  static ProcessResult run(List<String> command, Path dir) {
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "out", ".txt");
      Path err = Files.createTempFile(dir, "err", ".txt");
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 2 minutes");
      }
      ProcessResult result =
          new ProcessResult(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /**
   * {@code tally network init --out <work>/network} as the README runs it, then the rendered {@code
   * overlay} with the kit's Secrets and ConfigMaps: what {@code kubectl apply} would send.
   */
  static List<HasMetadata> overlayWithNetworkKit(String overlay, Path work) {
    Path kit = work.resolve("network");
    ProcessResult init =
        run(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ROOT.resolve("cli/target/tally-exec.jar").toString(),
                "network",
                "init",
                "--out",
                kit.toString()),
            work);
    assertThat(init.exit()).as(init.err()).isZero();
    List<HasMetadata> objects = new ArrayList<>(Manifests.parse(render(overlay)));
    ProcessResult secrets =
        run(List.of("kubectl", "kustomize", kit.resolve("kubernetes/network").toString()), work);
    assertThat(secrets.exit()).as(secrets.err()).isZero();
    objects.addAll(Manifests.parse(secrets.out()));
    return objects;
  }

  /**
   * The executable jar an image of ours holds ({@code tally/<module>:<version>}, see Dockerfile).
   */
  static Path jarOf(String image) {
    Matcher name = Pattern.compile("tally/([a-z-]+):[0-9A-Za-z.-]+").matcher(image);
    assertThat(name.matches()).as("an image of this repository: %s", image).isTrue();
    String module = name.group(1);
    Path jar =
        module.equals("cli")
            ? ROOT.resolve("cli/target/tally-exec.jar")
            : ROOT.resolve(module).resolve("target").resolve(module + "-exec.jar");
    assertThat(jar).as("the executable jar of image %s (mvn package builds it)", image).exists();
    return jar;
  }

  /** What the Dockerfile's final stage runs: its ENTRYPOINT and its JAVA_TOOL_OPTIONS. */
  record Image(List<String> entrypoint, String javaToolOptions) {}

  static Image image() {
    String dockerfile;
    try {
      dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    } catch (IOException e) {
      throw new IllegalStateException("no Dockerfile at the repository's root", e);
    }
    String finalStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
    Matcher entrypoint = Pattern.compile("\nENTRYPOINT \\[(.*)]\n").matcher(finalStage);
    assertThat(entrypoint.find()).as("ENTRYPOINT [...] in the Dockerfile's final stage").isTrue();
    List<String> command = new ArrayList<>();
    for (String word : entrypoint.group(1).split(",", -1)) {
      String trimmed = word.trim();
      assertThat(trimmed).startsWith("\"").endsWith("\"");
      command.add(trimmed.substring(1, trimmed.length() - 1));
    }
    Matcher options = Pattern.compile("\nENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"\n").matcher(finalStage);
    assertThat(options.find()).as("ENV JAVA_TOOL_OPTIONS=\"...\" in the final stage").isTrue();
    return new Image(command, options.group(1));
  }
}
