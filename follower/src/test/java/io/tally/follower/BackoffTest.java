package io.tally.follower;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void waitsDoubleFromOneHundredMillisecondsUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(500));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aPauseEndsAtOnceWhenTheLoopStops() throws InterruptedException {
    long start = System.nanoTime();
    Backoff.pause(Duration.ofMinutes(1), () -> true);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }
}
