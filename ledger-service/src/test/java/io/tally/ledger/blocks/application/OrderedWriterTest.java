package io.tally.ledger.blocks.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OrderedWriterTest {

  final List<Integer> written = new CopyOnWriteArrayList<>();

  @Test
  void writesRunInTheOrderSubmittedAndClosingRunsWhatIsQueued() throws Exception {
    try (OrderedWriter writer = new OrderedWriter("test-writer", 2, Duration.ofSeconds(30))) {
      for (int i = 0; i < 100; i++) {
        int n = i;
        writer.submit(() -> written.add(n));
      }
    }
    assertThat(written).hasSize(100).isSorted();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang is the bug this pins down
  void anErrorInAWriteReachesTheSubmitterInsteadOfLeavingItWaitingOnAFullQueue() {
    OrderedWriter writer = new OrderedWriter("test-writer", 2, Duration.ofSeconds(30));
    OutOfMemoryError error = new OutOfMemoryError("thrown by the test");
    assertThatThrownBy(
            () -> {
              writer.submit(
                  () -> {
                    throw error;
                  });
              for (int i = 0; ; i++) {
                int n = i;
                writer.submit(() -> written.add(n));
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasCause(error);
    writer.close();
    assertThat(written).as("writes after the failed one are dropped").isEmpty();
  }

  @Test
  void aFailedWriteIsReportedOnceAskedAndNothingAfterItRuns() throws Exception {
    RuntimeException failure = new IllegalArgumentException("thrown by the test");
    OrderedWriter writer = new OrderedWriter("test-writer", 8, Duration.ofSeconds(30));
    writer.submit(() -> written.add(1));
    writer.submit(
        () -> {
          throw failure;
        });
    try {
      writer.submit(() -> written.add(3));
    } catch (IllegalStateException alreadyReported) {
      // The failure may already have happened: then this submit reports it instead of queueing.
      assertThat(alreadyReported).hasCause(failure);
    }
    writer.close();
    assertThat(written).containsExactly(1);
    assertThatThrownBy(writer::rethrowFailure)
        .isInstanceOf(IllegalStateException.class)
        .hasCause(failure);
  }
}
