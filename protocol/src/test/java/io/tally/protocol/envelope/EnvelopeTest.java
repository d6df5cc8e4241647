package io.tally.protocol.envelope;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Fixtures;
import io.tally.protocol.Reason;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  static final SigningKey GATEWAY = Fixtures.key("gateway-1");
  static final SigningKey OTHER_GATEWAY = Fixtures.key("gateway-2");
  static final SigningKey VALIDATOR_INSTANCE = Fixtures.key("validator-1-instance");
  static final Stream LOG = Stream.log(0);
  static final Genesis GENESIS = genesis();
  static final byte[] BODY = "{\"payload\":\"e30\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealedEnvelopeOpensWithAllItsFields() throws Exception {
    EnvelopeWriter writer = new EnvelopeWriter("gateway-1", LOG, 7, GATEWAY);
    Envelope first = writer.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope second = writer.next(EnvelopeType.INSTRUCTION, BODY);

    Envelope opened = Envelope.open(second.toBytes(), GENESIS, LOG);

    assertThat(opened.type()).isEqualTo(EnvelopeType.INSTRUCTION);
    assertThat(opened.producer()).isEqualTo("gateway-1");
    assertThat(opened.epoch()).isEqualTo(7);
    assertThat(opened.seq()).isEqualTo(1);
    assertThat(opened.prev()).isEqualTo(first.hash());
    assertThat(opened.body()).isEqualTo(BODY);
    assertThat(opened.hash()).isEqualTo(second.hash());
    assertThat(first.prev()).isEqualTo(Hash.ZERO);
  }

  @Test
  void envelopeFromAnUnknownProducerIsRefused() {
    Envelope envelope =
        Envelope.seal(
            EnvelopeType.INSTRUCTION,
            LOG,
            "mallory",
            1,
            0,
            Hash.ZERO,
            BODY,
            Fixtures.key("mallory"));

    assertReason(() -> Envelope.open(envelope.toBytes(), GENESIS, LOG), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void instanceKeySigningAsAnotherProducerIsRefused() {
    Envelope envelope =
        Envelope.seal(
            EnvelopeType.INSTRUCTION, LOG, "gateway-1", 1, 0, Hash.ZERO, BODY, OTHER_GATEWAY);

    assertReason(() -> Envelope.open(envelope.toBytes(), GENESIS, LOG), Reason.SIGNER_UNKNOWN);
  }

  @Test
  void envelopeWithFlippedBytesIsRefused() {
    byte[] value =
        Envelope.seal(EnvelopeType.CUT, LOG, "gateway-1", 1, 0, Hash.ZERO, BODY, GATEWAY).toBytes();
    value[value.length / 2] ^= 0x01;

    assertReason(() -> Envelope.open(value, GENESIS, LOG), Reason.SIGNATURE_INVALID);
  }

  @Test
  void payloadOfTheWrongShapeIsMalformedEvenWhenSigned() {
    byte[] payload =
        "{\"type\":\"teleport\",\"producer\":\"gateway-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] value = CompactJws.sign(JwsType.ENVELOPE, payload, GATEWAY).toBytes();

    assertReason(() -> Envelope.open(value, GENESIS, LOG), Reason.MALFORMED);
  }

  @Test
  void producerChainDetectsGapsForksDuplicatesAndStaleEpochs() {
    ProducerSequences sequences = new ProducerSequences();
    EnvelopeWriter epoch1 = new EnvelopeWriter("gateway-1", LOG, 1, GATEWAY);
    Envelope e0 = epoch1.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope e1 = epoch1.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope e2 = epoch1.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope e3 = epoch1.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope forkAt4 =
        Envelope.seal(EnvelopeType.INSTRUCTION, LOG, "gateway-1", 1, 4, e2.hash(), BODY, GATEWAY);

    assertThat(sequences.check(e0)).isEqualTo(ProducerSequences.Check.NEXT);
    assertThat(sequences.check(e1)).isEqualTo(ProducerSequences.Check.NEXT);
    assertThat(sequences.check(e1)).isEqualTo(ProducerSequences.Check.DUPLICATE);
    assertThat(sequences.check(e3)).isEqualTo(ProducerSequences.Check.GAP);
    assertThat(sequences.check(forkAt4)).isEqualTo(ProducerSequences.Check.FORK);

    Envelope restart =
        new EnvelopeWriter("gateway-1", LOG, 2, GATEWAY).next(EnvelopeType.INSTRUCTION, BODY);
    assertThat(sequences.check(restart)).isEqualTo(ProducerSequences.Check.NEXT);
    assertThat(sequences.check(e2)).isEqualTo(ProducerSequences.Check.STALE_EPOCH);
  }

  @Test
  void aProducerFirstSeenMidChainIsAGapAndRestoredPositionsContinueTheChain() {
    EnvelopeWriter writer = new EnvelopeWriter("gateway-1", LOG, 1, GATEWAY);
    Envelope e0 = writer.next(EnvelopeType.INSTRUCTION, BODY);
    Envelope e1 = writer.next(EnvelopeType.INSTRUCTION, BODY);
    ProducerSequences original = new ProducerSequences();
    original.check(e0);

    ProducerSequences restored = new ProducerSequences(original.positions());

    assertThat(restored.check(e1)).isEqualTo(ProducerSequences.Check.NEXT);
    assertThat(new ProducerSequences().check(e1)).isEqualTo(ProducerSequences.Check.GAP);
    assertThat(restored.positions().get("gateway-1"))
        .isEqualTo(new ProducerSequences.Position(1, 2, e1.hash()));
    assertThat(new Member("gateway-1", GATEWAY.verificationKey()).id()).isEqualTo(e1.producer());
  }

  @Test
  void envelopeOfAnotherStreamIsRefusedAsStreamMismatch() {
    byte[] vote =
        new EnvelopeWriter("validator-1-instance", Stream.votes(0), 1, VALIDATOR_INSTANCE)
            .next(EnvelopeType.VOTE, BODY)
            .toBytes();
    byte[] otherShard =
        new EnvelopeWriter("gateway-1", Stream.log(1), 1, GATEWAY)
            .next(EnvelopeType.INSTRUCTION, BODY)
            .toBytes();

    assertReason(() -> Envelope.parse(vote, GENESIS, LOG), Reason.STREAM_MISMATCH);
    assertReason(() -> Envelope.parse(otherShard, GENESIS, LOG), Reason.STREAM_MISMATCH);
  }

  @Test
  void forgedEnvelopeOfAnotherStreamIsRefusedAsSignatureInvalid() {
    byte[] vote =
        new EnvelopeWriter("validator-1-instance", Stream.votes(0), 1, VALIDATOR_INSTANCE)
            .next(EnvelopeType.VOTE, BODY)
            .toBytes();
    vote[vote.length - 3] ^= 0x01; // in the signature

    assertReason(() -> Envelope.parse(vote, GENESIS, LOG), Reason.SIGNATURE_INVALID);
  }

  @Test
  void typeTheStreamDoesNotCarryIsRefusedAsTypeUnexpected() {
    byte[] payload =
        ("{\"type\":\"vote\",\"stream\":\"log\",\"shard\":0,\"producer\":\"validator-1-instance\","
                + "\"epoch\":1,\"seq\":0,\"prev\":\""
                + Hash.ZERO.toHex()
                + "\",\"body\":\"e30\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] value = CompactJws.sign(JwsType.ENVELOPE, payload, VALIDATOR_INSTANCE).toBytes();

    assertReason(() -> Envelope.parse(value, GENESIS, LOG), Reason.TYPE_UNEXPECTED);
  }

  @Test
  void typeTheProducersRoleDoesNotPermitIsRefusedAsRoleForbidsType() {
    byte[] cutByGateway =
        new EnvelopeWriter("gateway-1", LOG, 1, GATEWAY)
            .next(EnvelopeType.CUT, "{\"height\":1}".getBytes(StandardCharsets.UTF_8))
            .toBytes();
    byte[] finalizedByGateway =
        new EnvelopeWriter("gateway-1", Stream.finalized(0), 1, GATEWAY)
            .next(EnvelopeType.FINALIZED, BODY)
            .toBytes();
    byte[] instructionByValidator =
        new EnvelopeWriter("validator-1-instance", LOG, 1, VALIDATOR_INSTANCE)
            .next(EnvelopeType.INSTRUCTION, BODY)
            .toBytes();

    assertReason(() -> Envelope.parse(cutByGateway, GENESIS, LOG), Reason.ROLE_FORBIDS_TYPE);
    assertReason(
        () -> Envelope.parse(finalizedByGateway, GENESIS, Stream.finalized(0)),
        Reason.ROLE_FORBIDS_TYPE);
    assertReason(
        () -> Envelope.parse(instructionByValidator, GENESIS, LOG), Reason.ROLE_FORBIDS_TYPE);
  }

  @Test
  void writerRefusesATypeItsStreamDoesNotCarry() {
    EnvelopeWriter votes =
        new EnvelopeWriter("validator-1-instance", Stream.votes(0), 1, VALIDATOR_INSTANCE);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> votes.next(EnvelopeType.CUT, BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Genesis genesis() {
    try {
      return Genesis.parse(
          Genesis.write(
              "tally-test",
              Fixtures.validators(4, 3).members(),
              3,
              List.of(Fixtures.member("admin-1"), Fixtures.member("admin-2")),
              2,
              List.of(
                  Fixtures.instance("gateway-1", Role.GATEWAY),
                  Fixtures.instance("gateway-2", Role.GATEWAY),
                  Fixtures.instance("validator-1-instance", Role.VALIDATOR),
                  Fixtures.instance("ledger-1", Role.LEDGER))));
    } catch (GenesisException e) {
      throw new AssertionError(e);
    }
  }
}
