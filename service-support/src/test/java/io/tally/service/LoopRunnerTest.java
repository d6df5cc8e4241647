package io.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopRunnerTest {

  final ExecutorService verifiers = Executors.newSingleThreadExecutor();
  final CompletableFuture<Integer> exited = new CompletableFuture<>();

  @Test
  void aLoopKilledByAnErrorEndsTheProcessInsteadOfLeavingItHalfAlive() throws Exception {
    LoopRunner runner =
        new LoopRunner(
            List.of(
                new LoopRunner.Loop(
                    "dies",
                    () -> {
                      throw new OutOfMemoryError("thrown by the test");
                    },
                    () -> {})),
            verifiers,
            exited::complete);
    runner.start();
    assertThat(exited.get(30, TimeUnit.SECONDS)).isEqualTo(LoopRunner.EXIT_LOOP_DIED);
    runner.stop();
  }

  @Test
  void aLoopThatReturnsDoesNotEndTheProcess() throws Exception {
    CompletableFuture<Void> ran = new CompletableFuture<>();
    LoopRunner runner =
        new LoopRunner(
            List.of(new LoopRunner.Loop("returns", () -> ran.complete(null), () -> {})),
            verifiers,
            exited::complete);
    runner.start();
    ran.get(30, TimeUnit.SECONDS);
    runner.stop();
    assertThat(exited).isNotDone();
    assertThat(verifiers.isShutdown()).isTrue();
  }
}
