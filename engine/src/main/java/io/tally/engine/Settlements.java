package io.tally.engine;

import io.tally.engine.Command.Leg;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the participant instructions that move money, and of opening the accounts that hold
 * it: {@code open-account}, {@code settle}, {@code reserve}, {@code commit}, {@code cancel}, and
 * reservations expiring as log time passes. Legs apply all or none through {@link LegScratch};
 * every movement applied is journaled as a {@link Posting} of the open block.
 */
final class Settlements {

  private final EngineState state;
  private final Rules rules;
  private final LegScratch scratch;

  /** Reports an account whose balances were written back; made once, so applying allocates none. */
  private final Consumer<Account> changedAccount;

  Settlements(EngineState state, Rules rules) {
    this.state = state;
    this.rules = rules;
    this.scratch = new LegScratch(rules.legsMax());
    this.changedAccount = state.changes::changed;
  }

  Code openAccount(Command.OpenAccount open, List<String> signers) {
    Participant owner = state.participants.get(open.owner());
    if (owner == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (!signers.contains(owner.id)) {
      return Code.OWNER_SIGNATURE_MISSING;
    }
    if (owner.suspended) {
      return Code.PARTICIPANT_SUSPENDED;
    }
    Asset asset = state.assets.get(open.asset());
    if (asset == null) {
      return Code.ASSET_UNKNOWN;
    }
    if (open.issuance() && !asset.issuer().equals(owner.id)) {
      return Code.NOT_ISSUER;
    }
    if (state.accounts.containsKey(open.account())) {
      return Code.ACCOUNT_EXISTS;
    }
    int flags =
        (open.issuance() ? Account.FLAG_ISSUANCE : 0)
            | (open.overdraft() ? Account.FLAG_OVERDRAFT : 0);
    Account account =
        new Account(open.account(), owner.id, asset.code(), flags, state.accountsBySeq.size());
    state.addAccount(account);
    state.changes.changed(account);
    return Code.ACCEPTED;
  }

  Code settle(OpenBlock block, List<Leg> legs, List<String> signers) {
    Code code = resolveLegs(legs, signers);
    if (!code.accepted()) {
      return code;
    }
    code = scratch.move(legs, LegScratch.Move.POST);
    if (code.accepted()) {
      scratch.writeBack(changedAccount);
      journal(block, Posting.Movement.SETTLED, null, legs);
    }
    return code;
  }

  Code reserve(
      OpenBlock block, String id, Command.Reserve reserve, List<String> signers, long now) {
    Code code = resolveLegs(reserve.legs(), signers);
    if (!code.accepted()) {
      return code;
    }
    if (reserve.expiresAt() <= now || reserve.expiresAt() - now > rules.reservationTtlMaxMs()) {
      return Code.EXPIRY_INVALID;
    }
    for (String controller : reserve.controllers()) {
      if (!state.participants.containsKey(controller)) {
        return Code.PARTICIPANT_UNKNOWN;
      }
    }
    if (state.reservations.containsKey(id)) {
      return Code.DUPLICATE_CONFLICT; // the reserve id outlived its remembered instruction id
    }
    code = scratch.move(reserve.legs(), LegScratch.Move.HOLD);
    if (!code.accepted()) {
      return code;
    }
    scratch.writeBack(changedAccount);
    journal(block, Posting.Movement.RESERVED, id, reserve.legs());
    List<String> controllers = reserve.controllers();
    if (controllers.isEmpty()) {
      List<String> debtors = new ArrayList<>();
      for (Leg leg : reserve.legs()) {
        String owner = state.existingAccount(leg.debit()).owner;
        if (!debtors.contains(owner)) {
          debtors.add(owner);
        }
      }
      controllers = debtors;
    }
    Reservation reservation = new Reservation(id, reserve.legs(), controllers, reserve.expiresAt());
    state.addReservation(reservation);
    state.changes.changed(reservation);
    return Code.ACCEPTED;
  }

  /** {@code commit} (posts the reserved legs) or {@code cancel} (releases them). */
  Code closeReservation(OpenBlock block, String id, List<String> signers, boolean commit) {
    Reservation reservation = state.reservations.get(id);
    if (reservation == null) {
      return Code.RESERVATION_UNKNOWN;
    }
    if (reservation.status != Reservation.Status.OPEN) {
      return Code.RESERVATION_CLOSED;
    }
    boolean authorized = false;
    for (String signer : signers) {
      authorized |= reservation.controllers.contains(signer);
    }
    if (!authorized) {
      return Code.NOT_AUTHORIZED;
    }
    if (commit) {
      for (Leg leg : reservation.legs) {
        if (state.existingParticipant(state.existingAccount(leg.debit()).owner).suspended
            || state.existingParticipant(state.existingAccount(leg.credit()).owner).suspended) {
          return Code.PARTICIPANT_SUSPENDED;
        }
      }
    }
    resolveExisting(reservation.legs);
    Code code =
        scratch.move(reservation.legs, commit ? LegScratch.Move.COMMIT : LegScratch.Move.RELEASE);
    if (!code.accepted()) {
      return code;
    }
    scratch.writeBack(changedAccount);
    Posting.Movement movement = commit ? Posting.Movement.COMMITTED : Posting.Movement.CANCELLED;
    journal(block, movement, id, reservation.legs);
    reservation.status = commit ? Reservation.Status.COMMITTED : Reservation.Status.CANCELLED;
    state.openByExpiry.remove(reservation);
    state.changes.changed(reservation);
    return Code.ACCEPTED;
  }

  /**
   * Releases the open reservations that log time {@code now} has passed, and forgets the closed
   * ones kept long enough.
   */
  void expireReservations(OpenBlock block, long now) {
    while (!state.openByExpiry.isEmpty() && state.openByExpiry.first().expiresAt < now) {
      Reservation reservation = state.openByExpiry.pollFirst();
      resolveExisting(reservation.legs);
      Code code = scratch.move(reservation.legs, LegScratch.Move.RELEASE);
      if (!code.accepted()) {
        throw new AssertionError("releasing reservation " + reservation.id + " failed: " + code);
      }
      scratch.writeBack(changedAccount);
      journal(block, Posting.Movement.EXPIRED, reservation.id, reservation.legs);
      reservation.status = Reservation.Status.EXPIRED;
      state.changes.changed(reservation);
    }
    // Closed reservations are kept one instruction window past their expiry, so that a late
    // commit or cancel learns RESERVATION_CLOSED rather than RESERVATION_UNKNOWN.
    while (!state.retainedByExpiry.isEmpty()
        && state.retainedByExpiry.first().expiresAt < now - rules.instructionWindowMs()) {
      Reservation reservation = state.retainedByExpiry.pollFirst();
      if (reservation.status == Reservation.Status.OPEN) {
        throw new AssertionError("reservation " + reservation.id + " retained while open");
      }
      state.reservations.remove(reservation.id);
      state.changes.forgotten(reservation);
    }
  }

  /**
   * Resolves the accounts of every leg into the scratch and checks the rules that need state but
   * not balances: accounts and assets exist and match, every debtor signed, nobody suspended.
   */
  private Code resolveLegs(List<Leg> legs, List<String> signers) {
    Code code = scratch.resolve(legs, state.accounts);
    if (!code.accepted()) {
      return code;
    }
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      Account debit = scratch.debit(i);
      Account credit = scratch.credit(i);
      if (!state.assets.containsKey(leg.asset())) {
        return Code.ASSET_UNKNOWN;
      }
      if (!debit.asset.equals(leg.asset()) || !credit.asset.equals(leg.asset())) {
        return Code.ASSET_MISMATCH;
      }
      if (!signers.contains(debit.owner)) {
        return Code.DEBTOR_SIGNATURE_MISSING;
      }
      if (state.existingParticipant(debit.owner).suspended
          || state.existingParticipant(credit.owner).suspended) {
        return Code.PARTICIPANT_SUSPENDED;
      }
    }
    return Code.ACCEPTED;
  }

  private void resolveExisting(List<Leg> legs) {
    if (!scratch.resolve(legs, state.accounts).accepted()) {
      throw new AssertionError("an account of a reservation vanished");
    }
  }

  /** Records the movements of legs just written back, for the block's postings. */
  private static void journal(
      OpenBlock block, Posting.Movement movement, @Nullable String reservation, List<Leg> legs) {
    String id = movement == Posting.Movement.EXPIRED ? null : block.currentId;
    for (Leg leg : legs) {
      block.postings.add(
          new Posting(
              block.currentOffset,
              id,
              movement,
              reservation,
              leg.debit(),
              leg.credit(),
              leg.asset(),
              leg.amount()));
    }
  }
}
