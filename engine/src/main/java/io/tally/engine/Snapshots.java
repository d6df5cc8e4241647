package io.tally.engine;

import io.tally.engine.Command.Leg;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.ProducerSequences;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.VerificationKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The snapshot format: the whole engine state as bytes, every collection sorted by id, followed by
 * the SHA-256 of everything before it. Big-endian {@link DataOutputStream} encoding:
 *
 * <pre>
 * "TALLY-ENGINE-1"  genesis hash (32)  shard (int)  height (long)  last header (32)
 * state digest (32)  log time (long)
 * producers: count, then (id, epoch, next seq, last hash) by id
 * participants, assets: count, then each in its fixed form, by id
 * accounts: count, then each in its fixed form, in opening order
 * reservations: count, then each in its fixed form, by id
 * remembered ids: count, then (id, content hash, code name, offset, notAfter) by id
 * SHA-256 of all the above (32)
 * </pre>
 *
 * The same state always gives the same bytes, so two replicas can compare snapshots directly.
 */
final class Snapshots {

  private static final String MAGIC = "TALLY-ENGINE-1";

  private Snapshots() {}

  /**
   * Writes everything but the remembered ids now, and keeps the remembered ids (immutable records)
   * as they are now: the rest (sorting them by id, encoding, the checksum), the bulk of a busy
   * network's snapshot, runs when the supplier is called, on any thread, as often as asked, always
   * giving the bytes of this point.
   */
  static Supplier<byte[]> prepare(Hash genesisHash, int shard, EngineState state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(MAGIC);
      out.write(genesisHash.toBytes());
      out.writeInt(shard);
      out.writeLong(state.height);
      out.write(state.lastHeader.toBytes());
      out.write(state.stateDigest.toBytes());
      out.writeLong(state.logTime);

      Map<String, ProducerSequences.Position> positions = state.sequences.positions();
      out.writeInt(positions.size());
      for (Map.Entry<String, ProducerSequences.Position> entry : positions.entrySet()) {
        out.writeUTF(entry.getKey());
        out.writeLong(entry.getValue().epoch());
        out.writeLong(entry.getValue().nextSeq());
        out.write(entry.getValue().last().toBytes());
      }
      List<Participant> participants = EngineState.sortedValues(state.participants);
      out.writeInt(participants.size());
      for (Participant participant : participants) {
        participant.write(out);
      }
      List<Asset> assets = EngineState.sortedValues(state.assets);
      out.writeInt(assets.size());
      for (Asset asset : assets) {
        asset.write(out);
      }
      List<Account> accounts = state.accountsBySeq;
      out.writeInt(accounts.size());
      for (Account account : accounts) {
        account.write(out);
      }
      List<Reservation> reservations = EngineState.sortedValues(state.reservations);
      out.writeInt(reservations.size());
      for (Reservation reservation : reservations) {
        reservation.write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    Remembered[] remembered = state.rememberedInAnyOrder();
    return () -> finish(bytes, remembered);
  }

  private static byte[] finish(ByteArrayOutputStream head, Remembered[] remembered) {
    Remembered[] sorted = remembered.clone();
    Arrays.sort(sorted, Comparator.comparing(Remembered::id));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.size() + 80 * sorted.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      head.writeTo(out);
      out.writeInt(sorted.length);
      for (Remembered entry : sorted) {
        out.writeUTF(entry.id());
        out.write(entry.contentHash().toBytes());
        out.writeUTF(entry.code().name());
        out.writeLong(entry.offset());
        out.writeLong(entry.notAfter());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    byte[] body = bytes.toByteArray();
    byte[] result = Arrays.copyOf(body, body.length + Sha256.BYTES);
    Sha256.of(body).copyTo(result, body.length);
    return result;
  }

  static Engine read(Genesis genesis, Rules rules, byte[] snapshot) {
    if (snapshot.length < Sha256.BYTES) {
      throw new IllegalArgumentException("not an engine snapshot: too short");
    }
    int bodyLength = snapshot.length - Sha256.BYTES;
    Hash expected = Sha256.of(snapshot, 0, bodyLength);
    if (!MessageDigest.isEqual(
        expected.toBytes(), Arrays.copyOfRange(snapshot, bodyLength, snapshot.length))) {
      throw new IllegalArgumentException("engine snapshot is corrupt: checksum mismatch");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(snapshot, 0, bodyLength))) {
      if (!MAGIC.equals(in.readUTF())) {
        throw new IllegalArgumentException("not an engine snapshot of format " + MAGIC);
      }
      if (!hash(in).equals(genesis.hash())) {
        throw new IllegalArgumentException("engine snapshot belongs to another network");
      }
      Engine engine = new Engine(genesis, rules, in.readInt());
      EngineState state = engine.state();
      state.height = in.readLong();
      state.lastHeader = hash(in);
      state.stateDigest = hash(in);
      state.logTime = in.readLong();
      TreeMap<String, ProducerSequences.Position> positions = new TreeMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        positions.put(
            in.readUTF(), new ProducerSequences.Position(in.readLong(), in.readLong(), hash(in)));
      }
      state.sequences = new ProducerSequences(positions);
      for (int i = in.readInt(); i > 0; i--) {
        state.addParticipant(participant(in));
      }
      for (int i = in.readInt(); i > 0; i--) {
        Asset asset = new Asset(in.readUTF(), in.readInt(), in.readUTF());
        state.assets.put(asset.code(), asset);
      }
      int accountCount = in.readInt();
      for (int seq = 0; seq < accountCount; seq++) {
        Account account = new Account(in.readUTF(), in.readUTF(), in.readUTF(), in.readByte(), seq);
        account.postedDebits = in.readLong();
        account.postedCredits = in.readLong();
        account.pendingDebits = in.readLong();
        account.pendingCredits = in.readLong();
        state.addAccount(account);
      }
      for (int i = in.readInt(); i > 0; i--) {
        state.addReservation(reservation(in));
      }
      for (int i = in.readInt(); i > 0; i--) {
        state.remember(
            new Remembered(
                in.readUTF(), hash(in), Code.valueOf(in.readUTF()), in.readLong(), in.readLong()));
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException("engine snapshot has trailing bytes");
      }
      return engine;
    } catch (IOException | VerificationException e) {
      throw new IllegalArgumentException("engine snapshot is unreadable: " + e.getMessage(), e);
    }
  }

  private static Participant participant(DataInputStream in)
      throws IOException, VerificationException {
    Participant participant = new Participant(in.readUTF(), in.readUTF(), strings(in));
    participant.suspended = in.readBoolean();
    for (int i = in.readInt(); i > 0; i--) {
      byte[] key = new byte[VerificationKey.BYTES];
      in.readFully(key);
      VerificationKey verificationKey = VerificationKey.of(key);
      participant.keys.put(
          verificationKey.keyId(), new Participant.Key(verificationKey, in.readBoolean()));
    }
    return participant;
  }

  private static Reservation reservation(DataInputStream in) throws IOException {
    String id = in.readUTF();
    List<Leg> legs = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      legs.add(new Leg(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong()));
    }
    List<String> controllers = strings(in);
    Reservation reservation = new Reservation(id, legs, controllers, in.readLong());
    reservation.status = Reservation.Status.valueOf(in.readUTF());
    return reservation;
  }

  private static List<String> strings(DataInputStream in) throws IOException {
    List<String> strings = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      strings.add(in.readUTF());
    }
    return strings;
  }

  private static Hash hash(DataInputStream in) throws IOException {
    byte[] bytes = new byte[Sha256.BYTES];
    in.readFully(bytes);
    return Hash.of(bytes);
  }
}
