package io.tally.gateway.events.application;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.engine.Posting;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.service.CertifiedBlock;
import io.tally.service.CertifiedReplica;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The finality events of the certified blocks this gateway's replica reads, the newest {@code
 * eventsKept} of them held in memory so that a reader who lost its connection resumes after the
 * last event it received, and a webhook after the last block it delivered. Readers are sent their
 * events by {@code drain} threads, each from a bounded queue of its own: a slow reader never holds
 * up the replica; one that falls {@code queueMax} events behind is closed (it resumes from its last
 * event id).
 */
public final class FinalityFeed {

  /** A resume point older than the oldest event held: what came between is not here. */
  public static final class Expired extends Exception {
    private static final long serialVersionUID = 1L;

    Expired(String detail) {
      super(detail);
    }
  }

  /** Where a reader's events go; {@code send} throws once the reader went away. */
  public interface Sink {
    void send(Finality event) throws IOException;

    /** Ends the reader's stream (it fell too far behind, or the feed stops). */
    void close();
  }

  /** The events of one certified block, in log order (possibly none). */
  public record Block(long height, List<Finality> events) {
    public Block {
      events = List.copyOf(events);
    }
  }

  private final LongSupplier certifiedHeight;
  private final Executor drain;
  private final int eventsKept;
  private final int queueMax;
  private final ArrayDeque<Block> window = new ArrayDeque<>();
  private final List<Reader> readers = new CopyOnWriteArrayList<>();
  private int held;

  /** Every event after this position is held; null until the first block comes. */
  private @Nullable Position complete;

  /** The feed of {@code replica}'s certified blocks. */
  public static FinalityFeed of(
      CertifiedReplica replica, Executor drain, int eventsKept, int queueMax) {
    FinalityFeed feed = new FinalityFeed(replica::certifiedHeight, drain, eventsKept, queueMax);
    replica.onCertified(feed::certified);
    return feed;
  }

  /**
   * A feed of the blocks given to {@link #certified}; {@code certifiedHeight} is where they start.
   */
  FinalityFeed(LongSupplier certifiedHeight, Executor drain, int eventsKept, int queueMax) {
    this.certifiedHeight = certifiedHeight;
    this.drain = drain;
    this.eventsKept = eventsKept;
    this.queueMax = queueMax;
  }

  /**
   * Sends {@code caller} the events it may see that come after {@code after} (those held, then each
   * new one), or only new ones when {@code after} is null, until the sink fails, the feed closes
   * it, or the returned action is run.
   *
   * @return what cancels the subscription (the reader went away)
   * @throws Expired if events after {@code after} are no longer held
   */
  public Runnable subscribe(AccessControl.Caller caller, @Nullable Position after, Sink sink)
      throws Expired {
    synchronized (this) {
      Position from = after == null ? new Position(height(), Long.MAX_VALUE) : after;
      if (from.compareTo(complete()) < 0) {
        throw expired(from);
      }
      Reader reader = new Reader(caller, from, sink);
      for (Block block : window) {
        reader.offer(block.events());
      }
      readers.add(reader);
      return reader::cancel;
    }
  }

  /**
   * The first block above {@code afterHeight} with an event {@code visible} passes, with those
   * events only; empty if no held block has one, with {@code scanned} the height read up to.
   *
   * @throws Expired if blocks above {@code afterHeight} are no longer held
   */
  public synchronized Optional<Block> next(long afterHeight, Predicate<Finality> visible)
      throws Expired {
    if (afterHeight < complete().height()) {
      throw expired(new Position(afterHeight, Long.MAX_VALUE));
    }
    for (Block block : window) {
      if (block.height() > afterHeight) {
        List<Finality> events = block.events().stream().filter(visible).toList();
        if (!events.isEmpty()) {
          return Optional.of(new Block(block.height(), events));
        }
      }
    }
    return Optional.empty();
  }

  /** The newest certified height read. */
  public synchronized long height() {
    return window.isEmpty() ? certifiedHeight.getAsLong() : window.getLast().height();
  }

  /** The height above which every block's events are held. */
  public synchronized long heldAbove() {
    return complete().height();
  }

  /** Every event after this position is held (before a block came: after the replica's height). */
  private Position complete() {
    return complete != null ? complete : new Position(certifiedHeight.getAsLong(), Long.MAX_VALUE);
  }

  /** Closes every reader's stream (the gateway is stopping). */
  public void stop() {
    readers.forEach(Reader::close);
  }

  private Expired expired(Position after) {
    return new Expired(
        "the events after "
            + after
            + " are no longer held here (this gateway holds those after "
            + complete()
            + "); read the accounts' history to catch up, then follow again without"
            + " Last-Event-ID");
  }

  /** Takes the next certified block's events. */
  void certified(CertifiedBlock certified) {
    Block block = block(certified);
    synchronized (this) {
      if (complete == null) {
        complete = new Position(block.height() - 1, Long.MAX_VALUE);
      }
      window.addLast(block);
      held += block.events().size();
      while (held > eventsKept && window.size() > 1) {
        Block evicted = window.removeFirst();
        held -= evicted.events().size();
        complete = new Position(evicted.height(), Long.MAX_VALUE);
      }
    }
    if (!block.events().isEmpty()) {
      for (Reader reader : readers) {
        reader.offer(block.events());
      }
    }
  }

  /**
   * The events of {@code certified}, one per instruction id, with who may hear of each: the owners
   * come from the block's own changed accounts (every account a posting moved is one), never from
   * the replica's state, which may be a computed block ahead and which this thread must not wait
   * for.
   */
  private Block block(CertifiedBlock certified) {
    BlockResult result = certified.result();
    Map<String, String> owners = new HashMap<>();
    for (AccountView account : result.changedAccounts()) {
      owners.put(account.id(), account.owner());
    }
    Map<String, Set<String>> moved = new LinkedHashMap<>();
    for (Posting posting : result.postings()) {
      if (posting.instructionId() != null) {
        Set<String> accounts =
            moved.computeIfAbsent(posting.instructionId(), id -> new LinkedHashSet<>());
        accounts.add(posting.debit());
        accounts.add(posting.credit());
      }
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Outcome outcome : result.outcomes()) {
      if (outcome.instructionId() != null) {
        outcomes.putIfAbsent(outcome.instructionId(), outcome);
      }
    }
    long height = result.header().height();
    List<Finality> events = new ArrayList<>(outcomes.size());
    for (Map.Entry<String, Outcome> entry : outcomes.entrySet()) {
      String id = entry.getKey();
      Set<String> accounts = moved.getOrDefault(id, Set.of());
      Set<String> audience = new LinkedHashSet<>(certified.signedBy(id));
      for (String account : accounts) {
        String owner = owners.get(account);
        if (owner != null) {
          audience.add(owner);
        }
      }
      Outcome outcome = entry.getValue();
      events.add(
          new Finality(
              id,
              outcome.code().name(),
              height,
              outcome.offset(),
              new ArrayList<>(accounts),
              audience));
    }
    return new Block(height, events);
  }

  /** One reader: its own queue, drained by one task at a time. */
  private final class Reader implements Runnable {
    private final AccessControl.Caller caller;
    private final Sink sink;
    private final ArrayDeque<Finality> queue = new ArrayDeque<>();
    private Position sent;
    private boolean scheduled;
    private boolean closed;

    Reader(AccessControl.Caller caller, Position after, Sink sink) {
      this.caller = caller;
      this.sent = after;
      this.sink = sink;
    }

    void offer(List<Finality> events) {
      boolean schedule;
      synchronized (this) {
        if (closed) {
          return;
        }
        for (Finality event : events) {
          if (event.position().compareTo(sent) > 0 && event.visibleTo(caller)) {
            queue.addLast(event);
            sent = event.position();
          }
        }
        if (queue.size() > queueMax) {
          queue.clear();
          closed = true; // fell behind: it resumes from the last event it got
        }
        schedule = !scheduled && (closed || !queue.isEmpty());
        scheduled |= schedule;
      }
      if (schedule) {
        drain.execute(this);
      }
    }

    void close() {
      boolean schedule;
      synchronized (this) {
        closed = true;
        schedule = !scheduled;
        scheduled = true;
      }
      if (schedule) {
        drain.execute(this);
      }
    }

    /** The reader went away: no more sends, nothing to close. */
    void cancel() {
      synchronized (this) {
        closed = true;
        queue.clear();
      }
      readers.remove(this);
    }

    @Override
    public void run() {
      while (true) {
        List<Finality> batch;
        boolean end;
        synchronized (this) {
          end = closed;
          if (queue.isEmpty() && !end) {
            scheduled = false;
            return;
          }
          batch = new ArrayList<>(queue);
          queue.clear();
        }
        if (end) {
          readers.remove(this);
          sink.close();
          return;
        }
        try {
          for (Iterator<Finality> events = batch.iterator(); events.hasNext(); ) {
            sink.send(events.next());
          }
        } catch (IOException e) {
          synchronized (this) {
            closed = true;
            queue.clear();
          }
          readers.remove(this);
          return;
        }
      }
    }
  }
}
