package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.ProducerSequences;
import io.tally.protocol.keys.VerificationKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one shard's engine knows: the chain position, the producer chains, participants and
 * their keys, assets, accounts, reservations, and the instruction ids remembered. The classes of
 * the apply step ({@link Blocks}, {@link Entries}, {@link Settlements}, {@link Governance}) and
 * {@link Snapshots} read the collections directly and change them only through the methods here,
 * which keep every index in step with the maps it indexes.
 *
 * <p>Hash maps are never iterated into any output: {@link #sortedValues} is the only way state is
 * enumerated (and {@link #rememberedInAnyOrder}, which its caller sorts). Only {@link
 * #keyDirectory} is read by other threads (pre-verification); it only grows, and a key id names one
 * key forever.
 */
final class EngineState {

  // The chain.
  long height;
  Hash lastHeader = Hash.ZERO;
  Hash stateDigest;
  long logTime;
  ProducerSequences sequences = new ProducerSequences();

  // The state.
  final HashMap<String, Participant> participants = new HashMap<>();
  final HashMap<String, String> keyOwners = new HashMap<>();
  final ConcurrentHashMap<String, VerificationKey> keyDirectory = new ConcurrentHashMap<>();
  final HashMap<String, Asset> assets = new HashMap<>();
  final HashMap<String, Account> accounts = new HashMap<>();
  final ArrayList<Account> accountsBySeq = new ArrayList<>();
  final HashMap<String, Reservation> reservations = new HashMap<>();
  final TreeSet<Reservation> openByExpiry = new TreeSet<>(Reservation.BY_EXPIRY);
  final TreeSet<Reservation> retainedByExpiry = new TreeSet<>(Reservation.BY_EXPIRY);
  final HashMap<String, Remembered> remembered = new HashMap<>();
  private final TreeMap<Long, ArrayList<String>> rememberedByBucket = new TreeMap<>();

  /** The changes of the block being applied, for the state digest. */
  final BlockChanges changes = new BlockChanges();

  /** The state at the start of the chain of the genesis whose hash is {@code genesisHash}. */
  EngineState(Hash genesisHash) {
    this.stateDigest = genesisHash;
  }

  // ---------------------------------------------------------------- changes that keep indexes

  void addParticipant(Participant participant) {
    participants.put(participant.id, participant);
    for (Map.Entry<String, Participant.Key> key : participant.keys.entrySet()) {
      keyOwners.put(key.getKey(), participant.id);
      keyDirectory.put(key.getKey(), key.getValue().key);
    }
  }

  /** Gives {@code participant} the current key {@code key}. */
  void putKey(Participant participant, VerificationKey key) {
    participant.keys.put(key.keyId(), new Participant.Key(key, false));
    keyOwners.put(key.keyId(), participant.id);
    keyDirectory.put(key.keyId(), key);
  }

  /** Adds an account opened next: its {@link Account#seq} must be the number of accounts so far. */
  void addAccount(Account account) {
    if (account.seq != accountsBySeq.size()) {
      throw new AssertionError("accounts are added in opening order");
    }
    accounts.put(account.id, account);
    accountsBySeq.add(account);
  }

  void addReservation(Reservation reservation) {
    reservations.put(reservation.id, reservation);
    retainedByExpiry.add(reservation);
    if (reservation.status == Reservation.Status.OPEN) {
      openByExpiry.add(reservation);
    }
  }

  void remember(Remembered entry) {
    remembered.put(entry.id(), entry);
    rememberedByBucket.computeIfAbsent(entry.bucket(), bucket -> new ArrayList<>()).add(entry.id());
  }

  /** Forgets the ids whose {@code notAfter} bucket log time {@code now} has passed. */
  void forgetIds(long now) {
    long current = now >> 10;
    while (!rememberedByBucket.isEmpty() && rememberedByBucket.firstKey() < current) {
      for (String id : rememberedByBucket.pollFirstEntry().getValue()) {
        remembered.remove(id);
      }
    }
  }

  // ---------------------------------------------------------------- lookups an invariant backs

  // Accounts and participants are never deleted, and every account's owner and every leg of a
  // reservation were checked when they were created.

  Account existingAccount(String id) {
    Account account = accounts.get(id);
    if (account == null) {
      throw new AssertionError("account " + id + " vanished");
    }
    return account;
  }

  Participant existingParticipant(String id) {
    Participant participant = participants.get(id);
    if (participant == null) {
      throw new AssertionError("participant " + id + " vanished");
    }
    return participant;
  }

  static Participant.Key existingKey(Participant participant, String keyId) {
    Participant.Key key = participant.keys.get(keyId);
    if (key == null) {
      throw new AssertionError("key " + keyId + " of " + participant.id + " vanished");
    }
    return key;
  }

  /**
   * The remembered ids in the hash table's order, cheap enough for the engine's thread: the caller
   * sorts them before they reach any output ({@link Snapshots} does, when the snapshot is finished,
   * on whichever thread asks). The one enumeration of a hash table that {@code ArchitectureTest}
   * allows.
   */
  Remembered[] rememberedInAnyOrder() {
    return remembered.values().toArray(new Remembered[0]);
  }

  /** The values of {@code map} sorted by key: the only way state maps are enumerated. */
  static <V> List<V> sortedValues(Map<String, V> map) {
    List<String> keys = new ArrayList<>(map.keySet());
    keys.sort(null);
    List<V> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      values.add(map.get(key));
    }
    return values;
  }
}
