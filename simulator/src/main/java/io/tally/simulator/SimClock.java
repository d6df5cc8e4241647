package io.tally.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's clock: it moves only when the simulation advances it. */
final class SimClock extends Clock {

  private long now;

  SimClock(long start) {
    this.now = start;
  }

  void advance(long millis) {
    now += millis;
  }

  @Override
  public long millis() {
    return now;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(now);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulation runs in UTC");
  }
}
