package io.tally.testing.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A node running as a process of its own, started by {@link NodeProcesses}: its name, the loopback
 * port its API listens on, the command that started it, the file it logs to, and the process.
 */
public record NodeProcess(String name, int port, List<String> command, Path log, Process process) {

  public NodeProcess {
    command = List.copyOf(command);
  }

  /**
   * Starts the node again with the same command, port and database (so it resumes from its own
   * persisted state, as a restarted pod does), appending to the same log.
   */
  public NodeProcess restart() throws IOException {
    Process restarted =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new NodeProcess(name, port, command, log, restarted);
  }
}
