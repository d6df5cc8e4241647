package io.tally.service.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class CaughtUpHealthTest {

  private final AtomicLong lag = new AtomicLong(-1);
  private final CaughtUpHealth health = new CaughtUpHealth(lag::get, 100);

  @Test
  void aReaderThatHasNotHeardFromTheBrokerIsNotReady() {
    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.health().getDetails()).containsEntry("state", "not yet read from the broker");
  }

  @Test
  void aReaderFurtherBehindThanTheBoundIsNotReadyAndOneWithinItIs() {
    lag.set(101);
    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.health().getDetails()).containsEntry("lag", 101L);
    lag.set(100);
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    lag.set(0);
    assertThat(health.health().getDetails()).containsEntry("state", "caught up");
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> new CaughtUpHealth(lag::get, -1))
        .hasMessageContaining("tally.health.lag-max");
  }
}
