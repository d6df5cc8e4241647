package io.tally.protocol.merkle;

import static io.tally.protocol.merkle.Rfc6962VectorsTest.assertInvalid;

import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MerkleProofProperties {

  static List<Hash> leaves(int n) {
    List<Hash> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hashes.add(MerkleTree.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
    }
    return hashes;
  }

  @Property
  void inclusionProofOfLeafIVerifiesForLeafIOnly(
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 299) int i,
      @ForAll @IntRange(min = 0, max = 299) int j)
      throws VerificationException {
    Assume.that(i < size && j < size && i != j);
    List<Hash> leaves = leaves(size);
    Hash root = MerkleTree.root(leaves);
    List<Hash> proof = MerkleTree.inclusionProof(leaves, i);

    MerkleTree.verifyInclusion(i, size, leaves.get(i), proof, root);
    assertInvalid(() -> MerkleTree.verifyInclusion(j, size, leaves.get(j), proof, root));
    assertInvalid(() -> MerkleTree.verifyInclusion(j, size, leaves.get(i), proof, root));
  }

  @Property
  void inclusionProofFailsForAnotherTreeSize(
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 1, max = 300) int otherSize,
      @ForAll @IntRange(min = 0, max = 299) int i) {
    Assume.that(i < size && i < otherSize && size != otherSize);
    List<Hash> leaves = leaves(Math.max(size, otherSize));
    List<Hash> proof = MerkleTree.inclusionProof(leaves.subList(0, size), i);
    Hash otherRoot = MerkleTree.root(leaves.subList(0, otherSize));

    assertInvalid(() -> MerkleTree.verifyInclusion(i, otherSize, leaves.get(i), proof, otherRoot));
  }

  @Property
  void consistencyProofsVerifyAndFailForOtherSizes(
      @ForAll @IntRange(min = 1, max = 300) int newSize,
      @ForAll @IntRange(min = 1, max = 300) int oldSize)
      throws VerificationException {
    Assume.that(oldSize < newSize);
    List<Hash> leaves = leaves(newSize);
    Hash oldRoot = MerkleTree.root(leaves.subList(0, oldSize));
    Hash newRoot = MerkleTree.root(leaves);
    List<Hash> proof = MerkleTree.consistencyProof(leaves, oldSize);

    MerkleTree.verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);
    if (oldSize > 1) {
      Hash smallerRoot = MerkleTree.root(leaves.subList(0, oldSize - 1));
      assertInvalid(
          () -> MerkleTree.verifyConsistency(oldSize - 1, newSize, smallerRoot, newRoot, proof));
    }
  }
}
