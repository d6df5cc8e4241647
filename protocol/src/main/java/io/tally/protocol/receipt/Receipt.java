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
import io.tally.protocol.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A receipt for one instruction: the log record that carried it (the envelope exactly as signed),
 * its outcome record, the block header and the block's quorum certificate, and the Merkle inclusion
 * proofs of the record in the header's {@code entries} root and of the outcome in its {@code
 * results} root. {@link #verify} needs only the genesis: nothing in a receipt is taken on trust.
 *
 * <p>The JSON form is what the gateway serves and {@code tally verify-receipt} reads: {@code
 * record} and {@code header} are base64url of the exact bytes, {@code outcome} and {@code
 * certificate} are JSON texts whose bytes are signed or hashed as they are, proofs are lists of hex
 * hashes; {@code finality} is a sentence for people, recomputed by {@link #verify}.
 *
 * @param instructionId the instruction id the receipt is for
 * @param record the log record (envelope) bytes; its hash is the {@code entries} leaf
 * @param outcome the outcome record bytes; its hash is the {@code results} leaf
 * @param header the block header bytes
 * @param certificate the quorum certificate (JWS JSON general serialization) bytes
 * @param index the entry's index in the block (the same in both trees)
 * @param treeSize the number of entries in the block
 * @param entriesProof inclusion proof of {@code record} in {@code entries}
 * @param resultsProof inclusion proof of {@code outcome} in {@code results}
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
    List<Hash> resultsProof) {

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
   * @param instructionId the instruction the receipt is for
   * @param code the outcome code the validators certified (for example {@code ACCEPTED})
   * @param height the block height
   * @param headerHash the hash of the certified block header
   * @param signers the validators whose signatures the certificate carries
   * @param instruction the instruction as its signers wrote it (JWS JSON general serialization)
   * @param finality the finality point stated in words
   */
  @SuppressWarnings("ArrayRecordComponent") // the signed bytes, handed out as they are
  public record Verified(
      String instructionId,
      String code,
      long height,
      Hash headerHash,
      List<String> signers,
      byte[] instruction,
      String finality) {}

  public Receipt {
    entriesProof = List.copyOf(entriesProof);
    resultsProof = List.copyOf(resultsProof);
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
          hashes(receipt.array("resultsProof", Limits.MERKLE_PROOF_HASHES_MAX)));
    } catch (JsonException | IllegalArgumentException | ClassCastException e) {
      throw new VerificationException(Reason.MALFORMED, "receipt: " + e.getMessage());
    }
  }

  /** The JSON form, with the finality sentence when one is given (it is not verified input). */
  public byte[] toJson(String finality) {
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
   * with that instance's key id, and carries an instruction with this id; the outcome is for this
   * id.
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
    if (envelope.type() != EnvelopeType.INSTRUCTION) {
      throw new VerificationException(
          Reason.MALFORMED, "the record is a " + envelope.type() + ", not an instruction");
    }
    GeneralJws instruction = GeneralJws.parse(envelope.body());
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
    String finality =
        "Irrevocable: entry "
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
    return new Verified(
        instructionId,
        code,
        block.height(),
        block.hash(),
        signers,
        instruction.toBytes(),
        finality);
  }

  private static List<Hash> hashes(List<Object> hex) {
    List<Hash> hashes = new ArrayList<>(hex.size());
    for (Object item : hex) {
      hashes.add(Hash.ofHex((String) item));
    }
    return hashes;
  }
}
