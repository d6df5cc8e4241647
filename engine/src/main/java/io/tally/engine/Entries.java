package io.tally.engine;

import io.tally.protocol.VerificationException;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules every instruction and governance change passes in log order before its command runs, in
 * the order {@link Engine} lists them: {@code notAfter} within its window, the id new or an
 * identical resubmission (which repeats the original outcome), the signature rules that depend on
 * state (keys registered by now, not revoked, owned by whom), the id remembered with its outcome;
 * then the command goes to {@link Settlements} or {@link Governance}. Refused and anonymous records
 * only give their code.
 */
final class Entries {

  private final EngineState state;
  private final Rules rules;
  private final KeyResolver directory;
  private final Settlements settlements;
  private final Governance governance;

  Entries(
      EngineState state,
      Rules rules,
      KeyResolver directory,
      Settlements settlements,
      Governance governance) {
    this.state = state;
    this.rules = rules;
    this.directory = directory;
    this.settlements = settlements;
    this.governance = governance;
  }

  /** The outcome of a record that is no cut marker and continues its producer's chain. */
  Outcome apply(OpenBlock block, PreVerified entry, long now) {
    if (entry instanceof PreVerified.Signed signed) {
      return applySigned(block, signed, now);
    } else if (entry instanceof PreVerified.Anonymous anonymous) {
      return outcome(entry, null, anonymous.code);
    } else if (entry instanceof PreVerified.Refused refused) {
      return outcome(entry, null, refused.code);
    }
    throw new AssertionError("no rule applies " + entry);
  }

  private Outcome applySigned(OpenBlock block, PreVerified.Signed entry, long now) {
    String id = entry.id;
    long window = entry.governance ? rules.governanceWindowMs() : rules.instructionWindowMs();
    if (entry.notAfter < now) {
      return outcome(entry, id, Code.EXPIRED);
    }
    if (entry.notAfter - now > window) {
      return outcome(entry, id, Code.NOT_AFTER_TOO_FAR);
    }
    Remembered earlier = state.remembered.get(id);
    if (earlier != null) {
      if (earlier.contentHash().equals(entry.contentHash)) {
        return new Outcome(entry.offset, id, earlier.code(), earlier.offset());
      }
      return outcome(entry, id, Code.DUPLICATE_CONFLICT);
    }
    block.currentId = id;
    List<String> signerParticipants = new ArrayList<>(2);
    Code code = checkSigners(entry, signerParticipants);
    if (!code.accepted()) {
      return outcome(entry, id, code); // not authentic: the id stays free for its owner
    }
    code = entry.contentCode;
    Command command = entry.command;
    if (code.accepted() && command != null) {
      String keysOf = keyChangeParticipant(command);
      boolean ownChange = !entry.governance && keysOf != null;
      code =
          ownChange && !signerParticipants.contains(keysOf)
              ? Code.OWNER_SIGNATURE_MISSING
              : run(block, id, command, signerParticipants, now);
    }
    state.remember(new Remembered(id, entry.contentHash, code, entry.offset, entry.notAfter));
    return outcome(entry, id, code);
  }

  /** Signature rules that depend on state; fills the signing participants of an instruction. */
  private Code checkSigners(PreVerified.Signed entry, List<String> signerParticipants) {
    if (!entry.signatureCode.accepted()) {
      return entry.signatureCode;
    }
    if (entry.governance) {
      return Code.ACCEPTED;
    }
    List<String> keyIds = entry.signerKeyIds;
    GeneralJws deferred = entry.deferred;
    List<VerificationKey> introduced = GovernanceProposal.introducedKeys(entry.command);
    if (deferred != null) {
      try {
        keyIds =
            PreVerifier.keyIds(
                deferred.verify(
                    JwsType.INSTRUCTION, PreVerifier.withIntroduced(directory, introduced)));
      } catch (VerificationException e) {
        return PreVerifier.code(e.reason());
      }
    }
    if (!PreVerifier.possessionProven(introduced, keyIds)) {
      return Code.KEY_POSSESSION_UNPROVEN;
    }
    for (String keyId : keyIds) {
      String owner = state.keyOwners.get(keyId);
      if (owner == null && introduced.stream().anyMatch(k -> k.keyId().equals(keyId))) {
        continue; // a new key's proof of possession: it speaks for nobody yet
      }
      Participant participant = owner == null ? null : state.participants.get(owner);
      Participant.Key key = participant == null ? null : participant.keys.get(keyId);
      if (participant == null || key == null) {
        throw new AssertionError("key " + keyId + " is in the directory without an owner");
      }
      if (key.revoked) {
        return Code.KEY_REVOKED;
      }
      if (!signerParticipants.contains(participant.id)) {
        signerParticipants.add(participant.id);
      }
    }
    return Code.ACCEPTED;
  }

  /**
   * The participant whose keys a key change concerns (signed as an instruction, it must carry a
   * signature by a current key of that participant), or null for any other command.
   */
  private static @Nullable String keyChangeParticipant(Command command) {
    if (command instanceof Command.AddKey add) {
      return add.participant();
    } else if (command instanceof Command.RotateKey rotate) {
      return rotate.participant();
    } else if (command instanceof Command.RevokeKey revoke) {
      return revoke.participant();
    }
    return null;
  }

  private Code run(OpenBlock block, String id, Command command, List<String> signers, long now) {
    // Java 17 has no pattern switch; the chain lists every Command, the last line guards it.
    if (command instanceof Command.Settle settle) {
      return settlements.settle(block, settle.legs(), signers);
    } else if (command instanceof Command.OpenAccount open) {
      return settlements.openAccount(open, signers);
    } else if (command instanceof Command.Reserve reserve) {
      return settlements.reserve(block, id, reserve, signers, now);
    } else if (command instanceof Command.Commit commit) {
      return settlements.closeReservation(block, commit.reservation(), signers, true);
    } else if (command instanceof Command.Cancel cancel) {
      return settlements.closeReservation(block, cancel.reservation(), signers, false);
    } else if (command instanceof Command.RegisterParticipant register) {
      return governance.registerParticipant(register);
    } else if (command instanceof Command.AddKey add) {
      return governance.addKey(add.participant(), add.key(), null);
    } else if (command instanceof Command.RevokeKey revoke) {
      return governance.revokeKey(revoke.participant(), revoke.keyId());
    } else if (command instanceof Command.RotateKey rotate) {
      return governance.addKey(rotate.participant(), rotate.key(), rotate.revokeKeyId());
    } else if (command instanceof Command.SuspendParticipant suspend) {
      return governance.setSuspended(suspend.participant(), true);
    } else if (command instanceof Command.ReinstateParticipant reinstate) {
      return governance.setSuspended(reinstate.participant(), false);
    } else if (command instanceof Command.RegisterAsset asset) {
      return governance.registerAsset(asset);
    }
    throw new AssertionError("no rule applies " + command);
  }

  static Outcome outcome(PreVerified entry, @Nullable String id, Code code) {
    return new Outcome(entry.offset, id, code, Outcome.NO_ORIGINAL);
  }
}
