package io.tally.protocol.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For validator sets of 1 to 10 with their smallest safe quorum: q distinct validators pass; q-1
 * distinct validators, q signatures from q-1 validators, and a quorum plus one unknown key fail.
 */
class QuorumCertificateProperties {

  @Property(tries = 200)
  void onlyQDistinctKnownValidatorsMakeACertificate(
      @ForAll @IntRange(min = 1, max = 10) int n, @ForAll long shuffleSeed)
      throws VerificationException {
    int q = Genesis.quorumMin(n);
    Committee validators = Fixtures.validators(n, q);
    List<SigningKey> keys = new ArrayList<>(Fixtures.validatorKeys(n));
    Collections.shuffle(keys, new Random(shuffleSeed));
    BlockHeader header = QuorumCertificateTest.header(n);

    List<SigningKey> quorum = keys.subList(0, q);
    assertThat(
            QuorumCertificate.assemble(QuorumCertificateTest.votes(header, quorum))
                .verify(validators, header))
        .hasSize(q);

    if (q > 1) {
      List<SigningKey> short1 = keys.subList(0, q - 1);
      assertRefused(validators, header, short1, Reason.QUORUM_NOT_MET);

      List<SigningKey> repeated = new ArrayList<>(short1);
      repeated.add(short1.get(0));
      assertRefused(validators, header, repeated, Reason.SIGNER_DUPLICATE);
    }

    List<SigningKey> withStranger = new ArrayList<>(quorum);
    withStranger.add(Fixtures.key("stranger-" + shuffleSeed));
    Collections.shuffle(withStranger, new Random(shuffleSeed));
    assertRefused(validators, header, withStranger, Reason.SIGNER_UNKNOWN);
  }

  private static void assertRefused(
      Committee validators, BlockHeader header, List<SigningKey> keys, Reason reason) {
    QuorumCertificate certificate =
        QuorumCertificate.assemble(QuorumCertificateTest.votes(header, keys));
    assertThatThrownBy(() -> certificate.verify(validators, header))
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
