package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What the block being applied changed, and the digest that chains it into the state digest: {@code
 * state_h = SHA-256(state_{h-1} || SHA-256(changes of block h))} (ADR 0005). Every rule that
 * changes a participant, asset, account or reservation reports it here; {@link #chain} writes the
 * changes in a fixed order and starts the next block empty. The buffers are reused from block to
 * block, so reporting a change allocates nothing once they have grown.
 */
final class BlockChanges {

  private final ArrayList<Participant> participants = new ArrayList<>();
  private final ArrayList<Asset> newAssets = new ArrayList<>();
  private final BitSet accounts = new BitSet();
  private final ArrayList<Reservation> reservations = new ArrayList<>();
  private final TreeSet<String> removedReservations = new TreeSet<>();
  private final ChangeBuffer buffer = new ChangeBuffer();

  /** Accounts with a {@link Account#seq} from here on were opened in the block being applied. */
  private int accountsAtBlockStart;

  /** Starts a block while {@code accountCount} accounts exist. */
  void start(int accountCount) {
    accountsAtBlockStart = accountCount;
  }

  void changed(Account account) {
    accounts.set(account.seq);
  }

  void changed(Participant participant) {
    if (!participant.dirty) {
      participant.dirty = true;
      participants.add(participant);
    }
  }

  void changed(Reservation reservation) {
    if (!reservation.dirty) {
      reservation.dirty = true;
      reservations.add(reservation);
    }
  }

  void added(Asset asset) {
    newAssets.add(asset);
  }

  /** A closed reservation no longer kept (its retention after expiry ended). */
  void forgotten(Reservation reservation) {
    removedReservations.add(reservation.id);
  }

  /**
   * The next state digest after {@code previous}: SHA-256 of {@code previous} and of the new state
   * of everything the block changed, in a fixed order: participants sorted by id, new assets sorted
   * by code, accounts in opening order (all fields when opened in this block, else their number and
   * balances), reservations sorted by id, then the ids of reservations no longer kept. Adds a view
   * of every changed account to {@code changedAccounts}, and forgets the changes.
   *
   * @param accountsBySeq every account, in opening order
   */
  Hash chain(Hash previous, List<Account> accountsBySeq, List<AccountView> changedAccounts) {
    buffer.reset();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      participants.sort(Comparator.comparing(p -> p.id));
      out.writeByte('P');
      out.writeInt(participants.size());
      for (Participant participant : participants) {
        participant.write(out);
        participant.dirty = false;
      }
      newAssets.sort(Comparator.comparing(Asset::code));
      out.writeByte('S');
      out.writeInt(newAssets.size());
      for (Asset asset : newAssets) {
        asset.write(out);
      }
      out.writeByte('A');
      out.writeInt(accounts.cardinality());
      for (int seq = accounts.nextSetBit(0); seq >= 0; seq = accounts.nextSetBit(seq + 1)) {
        Account account = accountsBySeq.get(seq);
        changedAccounts.add(account.view());
        if (seq >= accountsAtBlockStart) {
          account.write(out); // opened in this block: everything about it is new
        } else {
          account.writeBalances(out);
        }
      }
      reservations.sort(Comparator.comparing(r -> r.id));
      out.writeByte('R');
      out.writeInt(reservations.size());
      for (Reservation reservation : reservations) {
        reservation.write(out);
        reservation.dirty = false;
      }
      out.writeByte('X');
      out.writeInt(removedReservations.size());
      for (String id : removedReservations) {
        out.writeUTF(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    participants.clear();
    newAssets.clear();
    accounts.clear();
    reservations.clear();
    removedReservations.clear();
    MessageDigest changes = Sha256.newDigest();
    buffer.writeTo(changes);
    MessageDigest digest = Sha256.newDigest();
    previous.updateDigest(digest);
    digest.update(changes.digest());
    return Hash.of(digest.digest());
  }

  /** A growable byte buffer whose content can be fed to a digest without copying. */
  private static final class ChangeBuffer extends ByteArrayOutputStream {
    ChangeBuffer() {
      super(1 << 16);
    }

    void writeTo(MessageDigest digest) {
      digest.update(buf, 0, count);
    }

    @Override
    public void close() {
      // Stays open: reused for every block.
    }
  }
}
