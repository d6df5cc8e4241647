package io.tally.protocol.receipt;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.ProtectedHeader;
import io.tally.protocol.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A receipt for one log entry that carries an id: a participant's instruction or a governance
 * change. It holds the log record that carried it (the envelope exactly as signed), its outcome
 * record, the block header and the block's quorum certificate, and the Merkle inclusion proofs of
 * the record in the header's {@code entries} root and of the outcome in its {@code results} root.
 * {@link #verify} needs only the genesis: nothing in a receipt is taken on trust.
 *
 * <p>The JSON form is what the gateway serves and {@code tally verify-receipt} reads: {@code
 * record} and {@code header} are base64url of the exact bytes, {@code outcome} and {@code
 * certificate} are JSON texts whose bytes are signed or hashed as they are, proofs are lists of hex
 * hashes. {@code finality} is optional: a sentence for people that states the verified facts. It is
 * not taken on trust either: {@link #verify} derives the sentence from what it verified ({@link
 * #finality(Genesis, BlockHeader, long, List)}) and refuses a receipt whose sentence differs by a
 * single character ({@link Reason#FINALITY_MISMATCH}), so an edited "certified by 4 of 4" or
 * another block number fails.
 *
 * @param instructionId the id the receipt is for (an instruction's or a governance change's)
 * @param record the log record (envelope) bytes; its hash is the {@code entries} leaf
 * @param outcome the outcome record bytes; its hash is the {@code results} leaf
 * @param header the block header bytes
 * @param certificate the quorum certificate (JWS JSON general serialization) bytes
 * @param index the entry's index in the block (the same in both trees)
 * @param treeSize the number of entries in the block
 * @param entriesProof inclusion proof of {@code record} in {@code entries}
 * @param resultsProof inclusion proof of {@code outcome} in {@code results}
 * @param finality the finality sentence as the receipt states it; empty when it leaves it out
 */
@SuppressWarnings("ArrayRecordComponent") // exact bytes are the point; never compared by equals
public record Receipt(
    String instructionId,
    byte[] record,
    byte[] outcome,
    byte[] header,
    byte[] certificate,
    long index,
    long treeSize,
    List<Hash> entriesProof,
    List<Hash> resultsProof,
    String finality) {

  private static final Set<String> MEMBERS =
      Set.of(
          "instructionId",
          "record",
          "outcome",
          "header",
          "certificate",
          "index",
          "treeSize",
          "entriesProof",
          "resultsProof",
          "finality");

  /** The largest receipt accepted: a record at its limit, base64url, plus a certificate. */
  public static final int BYTES_MAX = 2 * Limits.JWS_BYTES_MAX;

  /**
   * What a verified receipt establishes.
   *
   * @param instructionId the id the receipt is for
   * @param type what the entry is: {@link EnvelopeType#INSTRUCTION} or {@link
   *     EnvelopeType#GOVERNANCE}
   * @param code the outcome code the validators certified (for example {@code ACCEPTED})
   * @param index the entry's index in its block
   * @param height the block height
   * @param headerHash the hash of the certified block header
   * @param signers the validators whose signatures the certificate carries
   * @param instruction the entry as its signers wrote it (JWS JSON general serialization): the
   *     instruction, or the governance change with its approvals
   * @param finality the verified facts in one sentence ({@link #finality(Genesis, BlockHeader,
   *     long, List)}), never the receipt's own words
   */
  @SuppressWarnings("ArrayRecordComponent") // the signed bytes, handed out as they are
  public record Verified(
      String instructionId,
      EnvelopeType type,
      String code,
      long index,
      long height,
      Hash headerHash,
      List<String> signers,
      byte[] instruction,
      String finality) {}

  public Receipt {
    entriesProof = List.copyOf(entriesProof);
    resultsProof = List.copyOf(resultsProof);
  }

  /** This receipt with {@code finality} as its sentence (empty: none). */
  public Receipt withFinality(String finality) {
    return new Receipt(
        instructionId,
        record,
        outcome,
        header,
        certificate,
        index,
        treeSize,
        entriesProof,
        resultsProof,
        finality);
  }

  /**
   * Reads a receipt's JSON form.
   *
   * @throws VerificationException {@link Reason#TOO_LARGE} beyond {@link #BYTES_MAX}, {@link
   *     Reason#MALFORMED} for any other shape than the documented one
   */
  public static Receipt parse(byte[] json) throws VerificationException {
    if (json.length > BYTES_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE, "receipt has " + json.length + " bytes, at most " + BYTES_MAX);
    }
    try {
      JsonObject receipt = JsonReader.parseObject(json, Limits.JSON_DEPTH_MAX).requireOnly(MEMBERS);
      return new Receipt(
          receipt.string("instructionId"),
          Base64Url.decode(receipt.string("record")),
          receipt.string("outcome").getBytes(StandardCharsets.UTF_8),
          Base64Url.decode(receipt.string("header")),
          receipt.string("certificate").getBytes(StandardCharsets.UTF_8),
          receipt.integer("index"),
          receipt.integer("treeSize"),
          hashes(receipt.array("entriesProof", Limits.MERKLE_PROOF_HASHES_MAX)),
          hashes(receipt.array("resultsProof", Limits.MERKLE_PROOF_HASHES_MAX)),
          receipt.optionalString("finality").orElse(""));
    } catch (JsonException | IllegalArgumentException | ClassCastException e) {
      throw new VerificationException(Reason.MALFORMED, "receipt: " + e.getMessage());
    }
  }

  /** The JSON form, with the finality sentence when the receipt has one. */
  public byte[] toJson() {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("instructionId", instructionId)
            .member("record", Base64Url.encode(record))
            .member("outcome", new String(outcome, StandardCharsets.UTF_8))
            .member("header", Base64Url.encode(header))
            .member("certificate", new String(certificate, StandardCharsets.UTF_8))
            .member("index", index)
            .member("treeSize", treeSize);
    json.name("entriesProof").beginArray();
    entriesProof.forEach(hash -> json.value(hash.toHex()));
    json.endArray().name("resultsProof").beginArray();
    resultsProof.forEach(hash -> json.value(hash.toHex()));
    json.endArray();
    if (!finality.isEmpty()) {
      json.member("finality", finality);
    }
    return json.endObject().toUtf8();
  }

  /**
   * Verifies the receipt against a genesis: the block header belongs to this network; at least
   * {@code q} distinct validators of the genesis signed exactly that header; the record is leaf
   * {@code index} of its {@code entries} root and the outcome is the same leaf of its {@code
   * results} root; the record is an envelope naming an instance of the genesis as its producer,
   * with that instance's key id, and carries an instruction (envelope type {@code instruction}, JWS
   * {@code typ tally-instruction+jws}) or a governance change ({@code governance}, {@code
   * tally-governance+jws}) with this id; the outcome is for this id; and the finality sentence, if
   * the receipt has one, is exactly the one these facts give.
   *
   * <p>The envelope's own signature is not checked: the network admits a record through its
   * producer's signature or through the producer's hash chain (ADR 0011), which a receipt does not
   * carry, and the certificate already says that a quorum admitted it. Any changed byte of the
   * record changes its leaf and fails the inclusion proof.
   *
   * <p>The participants' signatures on the instruction are not checked here: their keys live in the
   * directory, not in the genesis. The certificate covers them: every validator verified them
   * against the directory at that height before signing the {@code results} root that holds the
   * outcome.
   *
   * @throws VerificationException with the first reason the receipt fails for
   */
  public Verified verify(Genesis genesis) throws VerificationException {
    BlockHeader block = BlockHeader.fromBytes(header);
    if (!block.network().equals(genesis.hash())) {
      throw new VerificationException(
          Reason.HEADER_MISMATCH, "the block belongs to another network than this genesis");
    }
    List<String> signers = QuorumCertificate.parse(certificate).verify(genesis.validators(), block);
    MerkleTree.verifyInclusion(
        index, treeSize, MerkleTree.leafHash(record), entriesProof, block.entries());
    MerkleTree.verifyInclusion(
        index, treeSize, MerkleTree.leafHash(outcome), resultsProof, block.results());
    if (treeSize != block.entryCount()) {
      throw new VerificationException(
          Reason.PROOF_INVALID, "tree size differs from the block's entry count");
    }
    Envelope envelope = Envelope.parse(record, genesis, Stream.log(block.shard()));
    JwsType expected =
        switch (envelope.type()) {
          case INSTRUCTION -> JwsType.INSTRUCTION;
          case GOVERNANCE -> JwsType.GOVERNANCE;
          case CUT, VOTE, FINALIZED ->
              throw new VerificationException(
                  Reason.MALFORMED,
                  "the record is a "
                      + envelope.type().wireName()
                      + ", not an instruction or a governance change");
        };
    GeneralJws instruction = GeneralJws.parse(envelope.body());
    for (ProtectedHeader signature : instruction.headers()) {
      if (!signature.type().equals(Optional.of(expected.headerValue()))) {
        throw new VerificationException(
            Reason.TYPE_MISMATCH,
            "a " + envelope.type().wireName() + " record must carry a " + expected.headerValue());
      }
    }
    String code;
    try {
      String id =
          JsonReader.parseObject(instruction.unverifiedPayload(), Limits.JSON_DEPTH_MAX)
              .string("id");
      JsonObject result = JsonReader.parseObject(outcome, Limits.JSON_DEPTH_MAX);
      if (!id.equals(instructionId) || !result.string("id").equals(instructionId)) {
        throw new VerificationException(
            Reason.HEADER_MISMATCH, "the record or outcome is for another instruction than this");
      }
      code = result.string("code");
    } catch (JsonException e) {
      throw new VerificationException(
          Reason.MALFORMED, "instruction or outcome: " + e.getMessage());
    }
    String derived = finality(genesis, block, index, signers);
    if (!finality.isEmpty() && !finality.equals(derived)) {
      throw new VerificationException(
          Reason.FINALITY_MISMATCH,
          "the receipt's finality sentence states other facts than the verified ones: \""
              + derived
              + "\"");
    }
    return new Verified(
        instructionId,
        envelope.type(),
        code,
        index,
        block.height(),
        block.hash(),
        signers,
        instruction.toBytes(),
        derived);
  }

  /**
   * The finality sentence of entry {@code index} of {@code block}, certified by {@code signers} (in
   * the certificate's order), as {@link #verify} derives it and the gateway serves it:
   *
   * <pre>
   * Irrevocable: entry {index} of block {height} of network {name} ({genesis hash}), certified by
   * {signer count} of {validator count} validators ({signer ids, comma and space}; {q} required)
   * over header {header hash}.
   * </pre>
   *
   * <p>on one line, single spaces, lowercase hex, decimal integers.
   */
  public static String finality(
      Genesis genesis, BlockHeader block, long index, List<String> signers) {
    return "Irrevocable: entry "
        + index
        + " of block "
        + block.height()
        + " of network "
        + genesis.network()
        + " ("
        + genesis.hash().toHex()
        + "), certified by "
        + signers.size()
        + " of "
        + genesis.validators().members().size()
        + " validators ("
        + String.join(", ", signers)
        + "; "
        + genesis.validators().threshold()
        + " required) over header "
        + block.hash().toHex()
        + ".";
  }

  private static List<Hash> hashes(List<Object> hex) {
    List<Hash> hashes = new ArrayList<>(hex.size());
    for (Object item : hex) {
      hashes.add(Hash.ofHex((String) item));
    }
    return hashes;
  }
}
