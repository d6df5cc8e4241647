package io.tally.gateway.instructions.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BacklogTest {

  final AtomicLong certified = new AtomicLong(-1);
  final AtomicLong now = new AtomicLong(0);
  final Backlog backlog = new Backlog(1_000, certified::get, now::get);

  @Test
  void admitsWhileTheBacklogIsWithinTheLimit() {
    backlog.appended(899);
    assertThatCode(() -> backlog.admit(100)).doesNotThrowAnyException();
    assertThat(backlog.size()).isEqualTo(900);
  }

  @Test
  void refusesBeyondTheLimitWithRetryAfterFromTheDrainRate() throws Exception {
    backlog.admit(1); // first sample: offset -1 at t = 0
    certified.set(399);
    now.set(2_000_000_000L); // 400 records certified in 2 s: 200 per second
    backlog.appended(2_399);

    Backlog.Overloaded overloaded =
        catchThrowableOfType(Backlog.Overloaded.class, () -> backlog.admit(1));

    // 2,000 waiting; down to half the limit (500) at 200/s takes 7.5 s.
    assertThat(overloaded.retryAfterSeconds()).isEqualTo(8);
    assertThat(overloaded).hasMessageContaining("2000 records wait");
  }

  @Test
  void aStalledNetworkAsksForTheLongestRetry() {
    backlog.appended(100_000);
    Backlog.Overloaded overloaded =
        catchThrowableOfType(Backlog.Overloaded.class, () -> backlog.admit(1));
    assertThat(overloaded.retryAfterSeconds()).isEqualTo(Backlog.RETRY_AFTER_MAX_SECONDS);
  }

  @Test
  void admitsAgainOnceCertifiedBlocksCatchUp() {
    backlog.appended(5_000);
    certified.set(4_500);
    assertThatCode(() -> backlog.admit(1)).doesNotThrowAnyException();
  }
}
