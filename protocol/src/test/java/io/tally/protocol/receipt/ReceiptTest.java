package io.tally.protocol.receipt;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiptTest {

  private static final Genesis GENESIS = Fixtures.genesis();
  private static final int ENTRIES = 5;

  /** A receipt for entry {@code index} of a block of five instructions certified by {@code q}. */
  private static Receipt receipt(int index, int signers) {
    return receipt(index, signers, EnvelopeType.INSTRUCTION, JwsType.INSTRUCTION);
  }

  /**
   * A receipt for entry {@code index} of a block of five entries certified by {@code q}; entry
   * {@code index} is an envelope of {@code type} around a JWS of {@code jwsType} (instructions
   * signed by bank-a, governance changes by two administrators).
   */
  private static Receipt receipt(int index, int signers, EnvelopeType type, JwsType jwsType) {
    EnvelopeWriter gateway =
        new EnvelopeWriter("gateway-1", Stream.log(0), 1, Fixtures.key("gateway-1"));
    // Governance entries come from identity-service, cut markers from a validator (their roles).
    EnvelopeWriter writer =
        switch (type) {
          case GOVERNANCE ->
              new EnvelopeWriter("identity-1", Stream.log(0), 1, Fixtures.key("identity-1"));
          case CUT ->
              new EnvelopeWriter(
                  "validator-1-instance", Stream.log(0), 1, Fixtures.key("validator-1-instance"));
          default -> gateway;
        };
    List<byte[]> records = new ArrayList<>();
    List<byte[]> outcomes = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      boolean governance = i == index && jwsType == JwsType.GOVERNANCE;
      byte[] payload =
          new JsonWriter()
              .beginObject()
              .member("id", "i-" + i)
              .member("kind", governance ? "register-asset" : "settle")
              .endObject()
              .toUtf8();
      GeneralJws jws =
          GeneralJws.sign(
              i == index ? jwsType : JwsType.INSTRUCTION,
              payload,
              governance
                  ? List.of(Fixtures.key("admin-1"), Fixtures.key("admin-2"))
                  : List.of(Fixtures.key("bank-a")));
      records.add(
          (i == index
                  ? writer.next(type, jws.toBytes())
                  : gateway.next(EnvelopeType.INSTRUCTION, jws.toBytes()))
              .toBytes());
      outcomes.add(
          ("{\"offset\":" + (100 + i) + ",\"id\":\"i-" + i + "\",\"code\":\"ACCEPTED\"}")
              .getBytes(StandardCharsets.US_ASCII));
    }
    List<Hash> entryLeaves = records.stream().map(MerkleTree::leafHash).toList();
    List<Hash> resultLeaves = outcomes.stream().map(MerkleTree::leafHash).toList();
    BlockHeader header =
        new BlockHeader(
            GENESIS.hash(),
            0,
            7,
            Hash.ZERO,
            ENTRIES,
            MerkleTree.root(entryLeaves),
            MerkleTree.root(resultLeaves),
            Hash.ZERO,
            1_764_000_000_000L,
            100,
            100 + ENTRIES - 1);
    List<Vote> votes =
        Fixtures.validatorKeys(signers).stream().map(key -> Vote.sign(header, key)).toList();
    return new Receipt(
        "i-" + index,
        records.get(index),
        outcomes.get(index),
        header.toBytes(),
        QuorumCertificate.assemble(votes).toBytes(),
        index,
        ENTRIES,
        MerkleTree.inclusionProof(entryLeaves, index),
        MerkleTree.inclusionProof(resultLeaves, index),
        "");
  }

  @Test
  void aCertifiedReceiptVerifiesAgainstTheGenesisAlone() throws VerificationException {
    Receipt.Verified verified = receipt(3, 3).verify(GENESIS);

    assertThat(verified.instructionId()).isEqualTo("i-3");
    assertThat(verified.code()).isEqualTo("ACCEPTED");
    assertThat(verified.height()).isEqualTo(7);
    assertThat(verified.signers()).containsExactly("validator-1", "validator-2", "validator-3");
    assertThat(verified.finality()).startsWith("Irrevocable: entry 3 of block 7 of network");
  }

  @Test
  void theJsonFormRoundTripsAndStillVerifies() throws VerificationException {
    Receipt receipt = receipt(0, 4);
    Receipt read = Receipt.parse(receipt.toJson());

    assertThat(read.verify(GENESIS).signers()).hasSize(4);
    assertThat(read.toJson()).isEqualTo(receipt.toJson());
  }

  @Test
  void everyChangedByteOfTheJsonFormFailsVerification() throws VerificationException {
    Receipt receipt = receipt(2, 3);
    byte[] json = receipt.withFinality(receipt.verify(GENESIS).finality()).toJson();
    for (int i = 0; i < json.length; i++) {
      byte[] changed = json.clone();
      changed[i] ^= 0x01;
      int at = i;
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Receipt.parse(changed).verify(GENESIS))
          .as("byte %d changed", at)
          .isInstanceOf(VerificationException.class);
    }
  }

  @Test
  void aGovernanceEntrysReceiptVerifiesLikeAnInstructionsReceipt() throws VerificationException {
    Receipt.Verified verified =
        receipt(2, 3, EnvelopeType.GOVERNANCE, JwsType.GOVERNANCE).verify(GENESIS);

    assertThat(verified.instructionId()).isEqualTo("i-2");
    assertThat(verified.type()).isEqualTo(EnvelopeType.GOVERNANCE);
    assertThat(verified.code()).isEqualTo("ACCEPTED");
    assertThat(verified.finality()).startsWith("Irrevocable: entry 2 of block 7 of network");
  }

  @Test
  void aRecordWhoseJwsIsOfAnotherKindThanItsEnvelopeIsRefused() {
    assertReason(
        () -> receipt(2, 3, EnvelopeType.INSTRUCTION, JwsType.GOVERNANCE).verify(GENESIS),
        Reason.TYPE_MISMATCH);
    assertReason(
        () -> receipt(2, 3, EnvelopeType.GOVERNANCE, JwsType.INSTRUCTION).verify(GENESIS),
        Reason.TYPE_MISMATCH);
  }

  @Test
  void aRecordThatIsNeitherAnInstructionNorAGovernanceChangeIsRefused() {
    assertReason(
        () -> receipt(2, 3, EnvelopeType.CUT, JwsType.INSTRUCTION).verify(GENESIS),
        Reason.MALFORMED);
  }

  @Test
  void aFinalitySentenceThatOverstatesTheCertificateIsRefused() throws VerificationException {
    Receipt receipt = receipt(3, 3);
    String honest = receipt.verify(GENESIS).finality();
    for (String edited :
        List.of(
            honest.replace("certified by 3 of 4", "certified by 4 of 4"),
            honest.replace("of block 7 ", "of block 8 "),
            honest.replace("; 3 required", "; 1 required"),
            honest + " ",
            "Irrevocable.")) {
      assertThat(edited).isNotEqualTo(honest);
      assertReason(
          () -> Receipt.parse(receipt.withFinality(edited).toJson()).verify(GENESIS),
          Reason.FINALITY_MISMATCH);
    }
  }

  @Test
  void theFinalitySentenceTheVerifierDerivesIsAcceptedOrMayBeLeftOut()
      throws VerificationException {
    Receipt receipt = receipt(3, 3);
    String honest = receipt.verify(GENESIS).finality();

    assertThat(Receipt.parse(receipt.withFinality(honest).toJson()).verify(GENESIS).finality())
        .isEqualTo(honest);
    assertThat(Receipt.parse(receipt.toJson()).verify(GENESIS).finality()).isEqualTo(honest);
  }

  @Test
  void fewerThanTheQuorumIsRefused() {
    assertReason(() -> receipt(1, 2).verify(GENESIS), Reason.QUORUM_NOT_MET);
  }

  @Test
  void aReceiptForAnotherInstructionIdIsRefused() {
    Receipt honest = receipt(1, 3);
    Receipt relabelled =
        new Receipt(
            "i-2",
            honest.record(),
            honest.outcome(),
            honest.header(),
            honest.certificate(),
            honest.index(),
            honest.treeSize(),
            honest.entriesProof(),
            honest.resultsProof(),
            "");
    assertReason(() -> relabelled.verify(GENESIS), Reason.HEADER_MISMATCH);
  }

  @Test
  void anotherEntrysProofIsRefused() {
    Receipt one = receipt(1, 3);
    Receipt other = receipt(2, 3);
    Receipt mixed =
        new Receipt(
            one.instructionId(),
            one.record(),
            one.outcome(),
            one.header(),
            one.certificate(),
            one.index(),
            one.treeSize(),
            other.entriesProof(),
            one.resultsProof(),
            "");
    assertReason(() -> mixed.verify(GENESIS), Reason.PROOF_INVALID);
  }

  @Test
  void aReceiptFromAnotherNetworkIsRefused() throws Exception {
    Genesis other =
        Genesis.parse(
            Genesis.write(
                "other-network",
                Fixtures.validators(4, 3).members(),
                3,
                List.of(Fixtures.member("admin-1"), Fixtures.member("admin-2")),
                2,
                List.of(Fixtures.instance("gateway-1", Role.GATEWAY))));
    assertReason(() -> receipt(1, 3).verify(other), Reason.HEADER_MISMATCH);
  }

  @Test
  void malformedJsonIsRefusedAsMalformed() {
    assertReason(
        () -> Receipt.parse("{\"instructionId\":1}".getBytes(StandardCharsets.UTF_8)),
        Reason.MALFORMED);
    assertReason(() -> Receipt.parse(new byte[0]), Reason.MALFORMED);
  }
}
