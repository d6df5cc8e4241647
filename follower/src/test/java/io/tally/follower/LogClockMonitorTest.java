package io.tally.follower;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogClockMonitorTest {

  final LogClockMonitor monitor = new LogClockMonitor(Duration.ofSeconds(5));

  @Test
  void aFreshRecordFarFromTheLocalClockRaisesAnAlarm() {
    assertThat(monitor.check(1_000, 7_000, true).orElseThrow()).contains("6000 ms");
  }

  @Test
  void oldRecordsReplayedAfterARestartRaiseNone() {
    assertThat(monitor.check(1_000, 600_000, false)).isEmpty();
    assertThat(monitor.check(2_000, 600_000, false)).isEmpty();
  }

  @Test
  void logTimeGoingBackRaisesAnAlarmEvenWhileReplaying() {
    assertThat(monitor.check(5_000, 600_000, false)).isEmpty();
    assertThat(monitor.check(4_000, 600_000, false).orElseThrow()).contains("went back by 1000 ms");
  }

  @Test
  void withinTheBoundNothingIsRaised() {
    assertThat(monitor.check(10_000, 14_000, true)).isEmpty();
  }
}
