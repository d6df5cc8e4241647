package io.tally.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devstack as a user runs it, in a process of its own: it brings the broker, PostgreSQL and
 * every service up as separate processes, they answer on 127.0.0.1, and a termination signal (what
 * Ctrl-C sends) stops every one of them.
 */
class DevstackIT {

  @TempDir Path dir;

  @Test
  void theNetworkComesUpAsSeparateProcessesAndStopsCompletely() throws Exception {
    Process devstack =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.tally.devstack.Devstack",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<Boolean> up =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(devstack.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  if (line.equals("devstack: network up")) {
                    return true;
                  }
                }
                return false;
              } catch (java.io.IOException e) {
                return false;
              }
            });
    try {
      assertThat(up.get(4, TimeUnit.MINUTES)).as("devstack output: %s", lines).isTrue();
      List<ProcessHandle> services = devstack.descendants().toList();
      assertThat(services).hasSizeGreaterThanOrEqualTo(7);
      assertThat(Files.exists(dir.resolve("network.json"))).isTrue();

      // Every service printed answers its health check on 127.0.0.1.
      Pattern service = Pattern.compile("\\s+(\\S+)\\s+http://127\\.0\\.0\\.1:(\\d+)\\s.*");
      HttpClient http = HttpClient.newHttpClient();
      int checked = 0;
      synchronized (lines) {
        for (String line : lines) {
          Matcher matcher = service.matcher(line);
          if (matcher.matches()) {
            HttpResponse<String> health =
                http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + matcher.group(2) + "/actuator/health"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(matcher.group(1)).isEqualTo(200);
            checked++;
          }
        }
      }
      assertThat(checked).isEqualTo(7);

      devstack.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the services
      assertThat(devstack.waitFor(90, TimeUnit.SECONDS)).isTrue();
      for (ProcessHandle child : services) {
        child.onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
      }
    } finally {
      devstack.descendants().forEach(ProcessHandle::destroyForcibly);
      devstack.destroyForcibly();
    }
  }
}
