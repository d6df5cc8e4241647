package io.tally.benchmarks.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time from Linux's {@code /proc}: a process's user plus system time (all its threads), and the
 * machine's busy time over all cores, in seconds. Differences of two readings give what a process
 * spent between them, whatever else ran on the machine.
 */
final class ProcessCpu {

  private static final double TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {}

  /** User plus system seconds {@code pid} has used so far (fields 14 and 15 of its stat). */
  static double seconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+", -1);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  /**
   * User plus system seconds of each live thread of {@code pid}, summed by thread name with digits
   * folded ({@code pool-2-thread-1} and {@code pool-2-thread-2} are {@code pool-#-thread-#}).
   * Threads that ended are missing, so compare two readings only over threads that live through.
   */
  static Map<String, Double> threads(long pid) {
    Map<String, Double> seconds = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          String name = read(thread.resolve("comm")).trim().replaceAll("[0-9]+", "#");
          String stat = read(thread.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+", -1);
          double used =
              (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
          seconds.merge(name, used, Double::sum);
        } catch (UncheckedIOException e) {
          // the thread ended while it was read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + tasks + " failed (Linux /proc is needed)", e);
    }
    return seconds;
  }

  /**
   * The thread groups that used the most CPU between two {@link #threads} readings, as {@code name
   * share} of {@code total} seconds, largest first, at most {@code count} of them.
   */
  static String topThreads(
      Map<String, Double> from, Map<String, Double> to, double total, int count) {
    return to.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(count)
        .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue() / total))
        .collect(Collectors.joining(", "));
  }

  /** Busy seconds of all cores so far: every state of {@code /proc/stat}'s cpu line but idle. */
  static double machineBusySeconds() {
    String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
    String[] fields = first.trim().split("\\s+", -1);
    long busy = 0;
    for (int i = 1; i < fields.length && i <= 8; i++) {
      if (i != 4 && i != 5) { // idle and iowait
        busy += Long.parseLong(fields[i]);
      }
    }
    return busy / TICKS_PER_SECOND;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed (Linux /proc is needed)", e);
    }
  }

  private static double ticksPerSecond() {
    try {
      Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK")).start();
      String answer =
          new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      getconf.waitFor();
      return Double.parseDouble(answer.trim());
    } catch (IOException | NumberFormatException e) {
      return 100; // the value of every Linux architecture Tally runs on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
