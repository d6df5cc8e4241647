package io.tally.engine;

import io.tally.protocol.codec.Hash;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Instructions whose every signature {@link Engine#preVerifyInstruction} verified against known
 * keys, by the SHA-256 of their JWS bytes, with the key ids that signed: when a front door's
 * replica reads the same bytes from the log, it does not verify them a second time. A memo of a
 * pure check (a key id binds one key forever and the directory only grows), so it never changes an
 * outcome; a miss only costs the verification. Bounded by two generations of {@code generationMax}
 * entries each: the older is dropped when the newer fills.
 */
final class EarlyChecks {

  private final int generationMax;
  private volatile ConcurrentHashMap<Hash, List<String>> current = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<Hash, List<String>> previous = new ConcurrentHashMap<>();

  EarlyChecks(int generationMax) {
    this.generationMax = generationMax;
  }

  /** Whether nothing is remembered (an engine that is no front door's never hashes for it). */
  boolean isEmpty() {
    return current.isEmpty() && previous.isEmpty();
  }

  void add(Hash instruction, List<String> signerKeyIds) {
    ConcurrentHashMap<Hash, List<String>> generation = current;
    generation.put(instruction, List.copyOf(signerKeyIds));
    if (generation.size() >= generationMax) {
      turnOver();
    }
  }

  /** The newer generation becomes the older one (at most once per filled generation). */
  private synchronized void turnOver() {
    if (current.size() >= generationMax) {
      previous = current;
      current = new ConcurrentHashMap<>();
    }
  }

  @Nullable List<String> signers(Hash instruction) {
    List<String> signers = current.get(instruction);
    return signers != null ? signers : previous.get(instruction);
  }
}
