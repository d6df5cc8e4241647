package io.tally.protocol.block;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumCertificateTest {

  static final Committee VALIDATORS = Fixtures.validators(4, 3);
  static final List<SigningKey> KEYS = Fixtures.validatorKeys(4);

  static BlockHeader header(long height) {
    Hash h = Sha256.of(("h" + height).getBytes(StandardCharsets.UTF_8));
    return new BlockHeader(h, 0, height, Hash.ZERO, 3, h, h, h, 1_764_000_000_000L, 10, 12);
  }

  static List<Vote> votes(BlockHeader header, List<SigningKey> keys) {
    List<Vote> votes = new ArrayList<>();
    for (SigningKey key : keys) {
      votes.add(Vote.sign(header, key));
    }
    return votes;
  }

  @Test
  void votesVerifyAndNameTheirValidator() throws Exception {
    Vote vote = Vote.parse(Vote.sign(header(1), KEYS.get(2)).toBytes());

    Vote.Verified verified = vote.verify(VALIDATORS);

    assertThat(verified.validatorId()).isEqualTo("validator-3");
    assertThat(verified.header()).isEqualTo(header(1));
  }

  @Test
  void voteByAKeyOfNoValidatorIsRefused() {
    Vote vote = Vote.sign(header(1), Fixtures.key("mallory"));

    assertReason(() -> vote.verify(VALIDATORS), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void certificateOfQDistinctValidatorsVerifies() throws Exception {
    QuorumCertificate certificate =
        QuorumCertificate.parse(
            QuorumCertificate.assemble(votes(header(5), KEYS.subList(1, 4))).toBytes());

    assertThat(certificate.verify(VALIDATORS, header(5)))
        .containsExactly("validator-2", "validator-3", "validator-4");
  }

  @Test
  void allFourValidatorsAlsoMakeAValidCertificate() throws Exception {
    QuorumCertificate certificate = QuorumCertificate.assemble(votes(header(5), KEYS));

    assertThat(certificate.verify(VALIDATORS, header(5))).hasSize(4);
  }

  @Test
  void certificateWithQMinusOneValidatorsIsRefused() {
    QuorumCertificate certificate =
        QuorumCertificate.assemble(votes(header(5), KEYS.subList(0, 2)));

    assertReason(() -> certificate.verify(VALIDATORS, header(5)), Reason.QUORUM_NOT_MET);
  }

  @Test
  void qSignaturesFromQMinusOneValidatorsAreRefused() {
    List<SigningKey> keys = List.of(KEYS.get(0), KEYS.get(1), KEYS.get(0));
    QuorumCertificate certificate = QuorumCertificate.assemble(votes(header(5), keys));

    assertReason(() -> certificate.verify(VALIDATORS, header(5)), Reason.SIGNER_DUPLICATE);
  }

  @Test
  void certificateWithOneUnknownKeyIsRefusedEvenWithAQuorumBeside() {
    List<SigningKey> keys = new ArrayList<>(KEYS.subList(0, 3));
    keys.add(Fixtures.key("mallory"));
    QuorumCertificate certificate = QuorumCertificate.assemble(votes(header(5), keys));

    assertReason(() -> certificate.verify(VALIDATORS, header(5)), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void certificateOverAnotherHeaderIsRefused() {
    QuorumCertificate certificate = QuorumCertificate.assemble(votes(header(5), KEYS));

    assertReason(() -> certificate.verify(VALIDATORS, header(6)), Reason.HEADER_MISMATCH);
  }

  @Test
  void certificateWithASignatureOfAnotherKindIsRefused() {
    byte[] headerBytes = header(5).toBytes();
    List<CompactJws> parts = new ArrayList<>();
    parts.add(CompactJws.sign(JwsType.ENVELOPE, headerBytes, KEYS.get(0)));
    parts.add(CompactJws.sign(JwsType.BLOCK_HEADER, headerBytes, KEYS.get(1)));
    parts.add(CompactJws.sign(JwsType.BLOCK_HEADER, headerBytes, KEYS.get(2)));
    GeneralJws jws = GeneralJws.combine(parts);

    assertReason(
        () -> QuorumCertificate.parse(jws.toBytes()).verify(VALIDATORS, header(5)),
        Reason.TYPE_MISMATCH);
  }

  @Test
  void votesOverDifferentHeadersCannotBeAssembled() {
    List<Vote> mixed =
        List.of(Vote.sign(header(5), KEYS.get(0)), Vote.sign(header(6), KEYS.get(1)));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuorumCertificate.assemble(mixed))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
