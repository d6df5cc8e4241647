package io.tally.simulator;

import io.tally.engine.LogRecord;
import io.tally.follower.FinalityReader;
import io.tally.follower.LogReader;
import io.tally.follower.VoteReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A broker that nobody trusts, as the simulation's seed drives it: each write waits in flight until
 * the simulation delivers it, and delivery may drop it (an unacknowledged write lost), write it
 * twice, copy it into another topic, or take writes of different producers out of order. Each topic
 * has one partition; offsets and timestamps are the broker's, as on Kafka with log-append time, and
 * the broker's clock may drift or jump.
 */
final class SimBroker {

  /** The topics of one shard. */
  enum Topic {
    LOG,
    VOTES,
    FINALIZED
  }

  /** A record as the broker stores it. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once
  record Stored(long offset, long timestamp, byte[] value) {}

  /**
   * A write in flight: {@code acked} runs when the broker appended it and said so, {@code failed}
   * when the producer learns that it may not have been (its send timed out), whether or not the
   * broker appended it.
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once
  record Write(Topic topic, String producer, byte[] value, Runnable acked, Runnable failed) {}

  /** Counts of what the broker did, for the report. */
  static final class Counts {
    long delivered;
    long dropped;
    long duplicated;
    long copied;
    long reordered;
    long unacknowledged;
  }

  private final List<Stored> log = new ArrayList<>();
  private final List<Stored> votes = new ArrayList<>();
  private final List<Stored> finalized = new ArrayList<>();
  private final List<Write> inFlight = new ArrayList<>();
  private final SimClock clock;
  final Counts counts = new Counts();
  private long clockSkew;

  SimBroker(SimClock clock) {
    this.clock = clock;
  }

  private List<Stored> topic(Topic topic) {
    return switch (topic) {
      case LOG -> log;
      case VOTES -> votes;
      case FINALIZED -> finalized;
    };
  }

  /** Writes {@code value}, as stored before the simulation starts (acknowledged at once). */
  void append(Topic topic, byte[] value) {
    List<Stored> records = topic(topic);
    records.add(new Stored(records.size(), clock.millis() + clockSkew, value));
  }

  void send(Write write) {
    inFlight.add(write);
  }

  int inFlight() {
    return inFlight.size();
  }

  /** Moves the broker's clock by {@code millis} (a jump, or drift when small and repeated). */
  void skewClock(long millis) {
    clockSkew += millis;
  }

  void resetClock() {
    clockSkew = 0;
  }

  /**
   * Delivers one write in flight: the oldest write of a producer chosen at random (each producer's
   * writes stay in order, as an idempotent producer's do). With faults, it may be dropped before
   * the broker appends it, appended with its acknowledgement lost, appended twice, or copied into
   * the other topic.
   */
  void deliverOne(Random random, boolean faults) {
    if (inFlight.isEmpty()) {
      return;
    }
    // The oldest write of a producer chosen at random: writes of different producers overtake
    // one another (a delay of one is a reorder across producers), each producer's stay in order.
    String producer = inFlight.get(random.nextInt(inFlight.size())).producer();
    int index = 0;
    while (!inFlight.get(index).producer().equals(producer)) {
      index++;
    }
    if (index > 0) {
      counts.reordered++;
    }
    deliver(inFlight.remove(index), random, faults);
  }

  /**
   * Delivers {@code write} now, as a producer that waits for the acknowledgement sees it.
   *
   * @return whether the broker acknowledged it
   */
  boolean deliver(Write write, Random random, boolean faults) {
    if (faults && random.nextInt(25) == 0) {
      counts.dropped++;
      write.failed().run(); // lost before the broker appended it; the send times out
      return false;
    }
    append(write.topic(), write.value());
    counts.delivered++;
    if (faults && random.nextInt(25) == 0) {
      counts.unacknowledged++;
      write.failed().run(); // appended, but the acknowledgement was lost
      return false;
    }
    if (faults && random.nextInt(25) == 0) {
      append(write.topic(), write.value());
      counts.duplicated++;
    }
    if (faults && random.nextInt(50) == 0) {
      List<Topic> others = new ArrayList<>(List.of(Topic.values()));
      others.remove(write.topic());
      append(others.get(random.nextInt(others.size())), write.value());
      counts.copied++;
    }
    write.acked().run();
    return true;
  }

  long size(Topic topic) {
    return topic(topic).size();
  }

  /** A reader of the log, as the follower reads it. */
  LogReader logReader(int batchMax) {
    return new LogReader() {
      private int position;

      @Override
      public void seek(long offset) {
        position = (int) Math.min(offset, log.size());
      }

      @Override
      public List<LogRecord> poll(Duration timeout) {
        List<LogRecord> batch = new ArrayList<>();
        while (position < log.size() && batch.size() < batchMax) {
          Stored stored = log.get(position++);
          batch.add(new LogRecord(stored.offset(), stored.timestamp(), stored.value()));
        }
        return batch;
      }

      @Override
      public long lag() {
        return (long) log.size() - position;
      }

      @Override
      public void close() {}
    };
  }

  /** A reader of the finality topic, from its beginning, as a replica reads it. */
  FinalityReader finalityReader(int batchMax) {
    return new FinalityReader() {
      private int position;

      @Override
      public List<byte[]> poll(Duration timeout) {
        List<byte[]> batch = new ArrayList<>();
        while (position < finalized.size() && batch.size() < batchMax) {
          batch.add(finalized.get(position++).value());
        }
        return batch;
      }

      @Override
      public void close() {}
    };
  }

  /** A reader of the votes topic. */
  VoteReader voteReader(int batchMax) {
    return new VoteReader() {
      private int position;

      @Override
      public void seek(long offset) {
        position = (int) Math.min(offset, votes.size());
      }

      @Override
      public List<VoteRecord> poll(Duration timeout) {
        List<VoteRecord> batch = new ArrayList<>();
        while (position < votes.size() && batch.size() < batchMax) {
          Stored stored = votes.get(position++);
          batch.add(new VoteRecord(stored.offset(), stored.timestamp(), stored.value()));
        }
        return batch;
      }

      @Override
      public long position() {
        return position;
      }

      @Override
      public void close() {}
    };
  }
}
