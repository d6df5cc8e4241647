package io.tally.protocol.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Hex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 6962 reference test set: the eight leaves, tree heads for sizes 0 to 8, inclusion proofs
 * and consistency proofs published with the Certificate Transparency reference implementation and
 * kept in github.com/transparency-dev/merkle ({@code testonly/constants.go} and {@code
 * proof/verify_test.go}). RFC 9162 hashes exactly as RFC 6962 does, so the values hold for both.
 */
class Rfc6962VectorsTest {

  static final String[] LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"
  };

  /** Tree heads for sizes 0 to 8. */
  static final String[] ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };

  static List<Hash> leafHashes(int n) {
    List<Hash> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      hashes.add(MerkleTree.leafHash(Hex.decode(LEAVES[i])));
    }
    return hashes;
  }

  static Hash root(int size) {
    return Hash.ofHex(ROOTS[size]);
  }

  @Test
  void treeHeadsMatchForEverySizeFromZeroToEight() {
    for (int size = 0; size <= 8; size++) {
      assertThat(MerkleTree.root(leafHashes(size)).toHex())
          .as("size %d", size)
          .isEqualTo(ROOTS[size]);
    }
  }

  static List<Arguments> inclusionVectors() {
    // (leaf index 0-based, tree size, audit path); the source numbers leaves from 1.
    return List.of(
        Arguments.of(0, 1, List.of()),
        Arguments.of(
            0,
            8,
            List.of(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        Arguments.of(
            5,
            8,
            List.of(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        Arguments.of(
            2, 3, List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
        Arguments.of(
            1,
            5,
            List.of(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));
  }

  @ParameterizedTest(name = "leaf {0} of {1}")
  @MethodSource("inclusionVectors")
  void publishedInclusionProofsAreGeneratedAndVerify(int index, int size, List<String> path)
      throws VerificationException {
    List<Hash> expected = path.stream().map(Hash::ofHex).toList();
    List<Hash> leaves = leafHashes(size);

    assertThat(MerkleTree.inclusionProof(leaves, index)).isEqualTo(expected);
    MerkleTree.verifyInclusion(index, size, leaves.get(index), expected, root(size));
  }

  @ParameterizedTest(name = "leaf {0} of {1}")
  @MethodSource("inclusionVectors")
  void corruptedInclusionProofsAreRejected(int index, int size, List<String> path) {
    List<Hash> proof = path.stream().map(Hash::ofHex).toList();
    Hash leaf = leafHashes(size).get(index);
    Hash other = Hash.ofHex("abacaba000000000000000000000000000000000000000000060061e00123456");

    assertInvalid(() -> MerkleTree.verifyInclusion(index + 1, size, leaf, proof, root(size)));
    assertInvalid(() -> MerkleTree.verifyInclusion(index ^ 2, size, leaf, proof, root(size)));
    assertInvalid(() -> MerkleTree.verifyInclusion(index, size * 2L, leaf, proof, root(size)));
    assertInvalid(() -> MerkleTree.verifyInclusion(index, size, other, proof, root(size)));
    assertInvalid(() -> MerkleTree.verifyInclusion(index, size, leaf, proof, other));
    assertInvalid(
        () -> MerkleTree.verifyInclusion(index, size, leaf, with(proof, other), root(size)));
    for (int i = 0; i < proof.size(); i++) {
      List<Hash> flipped = new ArrayList<>(proof);
      byte[] bytes = proof.get(i).toBytes();
      bytes[0] ^= 8;
      flipped.set(i, Hash.of(bytes));
      assertInvalid(() -> MerkleTree.verifyInclusion(index, size, leaf, flipped, root(size)));
    }
    if (!proof.isEmpty()) {
      assertInvalid(
          () ->
              MerkleTree.verifyInclusion(
                  index, size, leaf, proof.subList(0, proof.size() - 1), root(size)));
    }
  }

  static List<Arguments> consistencyVectors() {
    return List.of(
        Arguments.of(1, 1, List.of()),
        Arguments.of(
            1,
            8,
            List.of(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
        Arguments.of(
            6,
            8,
            List.of(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
        Arguments.of(
            2,
            5,
            List.of(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
        Arguments.of(
            6,
            7,
            List.of(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("consistencyVectors")
  void publishedConsistencyProofsAreGeneratedAndVerify(int oldSize, int newSize, List<String> path)
      throws VerificationException {
    List<Hash> expected = path.stream().map(Hash::ofHex).toList();

    assertThat(MerkleTree.consistencyProof(leafHashes(newSize), oldSize)).isEqualTo(expected);
    MerkleTree.verifyConsistency(oldSize, newSize, root(oldSize), root(newSize), expected);
  }

  @ParameterizedTest(name = "{0} to {1}")
  @MethodSource("consistencyVectors")
  void corruptedConsistencyProofsAreRejected(int oldSize, int newSize, List<String> path) {
    List<Hash> proof = path.stream().map(Hash::ofHex).toList();
    if (proof.isEmpty()) {
      return; // sizes 1 to 1: nothing to corrupt but the roots, covered below
    }
    Hash r1 = root(oldSize);
    Hash r2 = root(newSize);
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize - 1, newSize, r1, r2, proof));
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize + 1, newSize, r1, r2, proof));
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize, newSize * 2L, r1, r2, proof));
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize, newSize, r2, r1, proof));
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize, newSize, r1, r2, List.of()));
    assertInvalid(() -> MerkleTree.verifyConsistency(oldSize, newSize, r1, r2, with(proof, r1)));
    assertInvalid(
        () ->
            MerkleTree.verifyConsistency(
                oldSize, newSize, r1, r2, proof.subList(0, proof.size() - 1)));
    for (int i = 0; i < proof.size(); i++) {
      List<Hash> flipped = new ArrayList<>(proof);
      byte[] bytes = proof.get(i).toBytes();
      bytes[0] ^= 16;
      flipped.set(i, Hash.of(bytes));
      assertInvalid(() -> MerkleTree.verifyConsistency(oldSize, newSize, r1, r2, flipped));
    }
  }

  @Test
  void equalSizesNeedEqualHeadsAndAnEmptyProof() throws VerificationException {
    MerkleTree.verifyConsistency(3, 3, root(3), root(3), List.of());
    MerkleTree.verifyConsistency(0, 5, root(0), root(5), List.of());
    assertInvalid(() -> MerkleTree.verifyConsistency(3, 3, root(3), root(4), List.of()));
    assertInvalid(() -> MerkleTree.verifyConsistency(3, 3, root(3), root(3), List.of(root(0))));
    assertInvalid(() -> MerkleTree.verifyConsistency(4, 3, root(4), root(3), List.of()));
  }

  private static List<Hash> with(List<Hash> proof, Hash extra) {
    List<Hash> longer = new ArrayList<>(proof);
    longer.add(extra);
    return longer;
  }

  interface Check {
    void run() throws VerificationException;
  }

  static void assertInvalid(Check check) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            VerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PROOF_INVALID));
  }
}
