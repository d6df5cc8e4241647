package io.tally.protocol.merkle;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1 Merkle tree hashing over leaf hashes, with proof generation (2.1.3.1,
 * 2.1.4.1) and verification (2.1.3.2, 2.1.4.2). Leaf hash: {@code SHA-256(0x00 || data)}; node
 * hash: {@code SHA-256(0x01 || left || right)}; the empty tree's head is {@code SHA-256("")}.
 *
 * <p>Verification throws; it never reports failure by a return value.
 */
public final class MerkleTree {

  private MerkleTree() {}

  /** {@code SHA-256(0x00 || data)}. */
  public static Hash leafHash(byte[] data) {
    MessageDigest digest = Sha256.reusable();
    digest.update((byte) 0x00);
    digest.update(data);
    return Hash.of(digest.digest());
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static Hash nodeHash(Hash left, Hash right) {
    MessageDigest digest = Sha256.reusable();
    digest.update((byte) 0x01);
    left.updateDigest(digest);
    right.updateDigest(digest);
    return Hash.of(digest.digest());
  }

  /**
   * The tree head (MTH) over {@code leafHashes}, in order.
   *
   * <p>Computed bottom-up, level by level, in one buffer: pairs are hashed and an unpaired last
   * node moves up unchanged. This gives exactly RFC 9162's recursive definition (the left subtree
   * is always the largest power of two) without allocating per node; the published vectors in the
   * tests pin it.
   */
  public static Hash root(List<Hash> leafHashes) {
    int n = leafHashes.size();
    if (n == 0) {
      return Sha256.of(new byte[0]);
    }
    byte[] level = new byte[n * Sha256.BYTES];
    for (int i = 0; i < n; i++) {
      leafHashes.get(i).copyTo(level, i * Sha256.BYTES);
    }
    MessageDigest digest = Sha256.reusable();
    try {
      while (n > 1) {
        int pairs = n / 2;
        for (int j = 0; j < pairs; j++) {
          digest.update((byte) 0x01);
          digest.update(level, 2 * j * Sha256.BYTES, 2 * Sha256.BYTES);
          digest.digest(level, j * Sha256.BYTES, Sha256.BYTES);
        }
        if (n % 2 == 1) {
          System.arraycopy(
              level, (n - 1) * Sha256.BYTES, level, pairs * Sha256.BYTES, Sha256.BYTES);
        }
        n = pairs + n % 2;
      }
    } catch (DigestException e) {
      throw new AssertionError("a 32-byte buffer holds a SHA-256 digest", e);
    }
    return Hash.of(java.util.Arrays.copyOf(level, Sha256.BYTES));
  }

  /** The inclusion proof (audit path) of leaf {@code index} in the tree over {@code leafHashes}. */
  public static List<Hash> inclusionProof(List<Hash> leafHashes, int index) {
    if (index < 0 || index >= leafHashes.size()) {
      throw new IllegalArgumentException("leaf index " + index + " outside the tree");
    }
    List<Hash> path = new ArrayList<>();
    addPath(leafHashes, index, 0, leafHashes.size(), path);
    return path;
  }

  /**
   * The consistency proof that the tree over the first {@code oldSize} of {@code leafHashes} is a
   * prefix of the tree over all of them. Empty when {@code oldSize} is 0 or the full size.
   */
  public static List<Hash> consistencyProof(List<Hash> leafHashes, int oldSize) {
    if (oldSize < 0 || oldSize > leafHashes.size()) {
      throw new IllegalArgumentException(
          "old size " + oldSize + " outside 0.." + leafHashes.size());
    }
    List<Hash> proof = new ArrayList<>();
    if (oldSize > 0 && oldSize < leafHashes.size()) {
      addSubproof(leafHashes, oldSize, 0, leafHashes.size(), true, proof);
    }
    return proof;
  }

  /**
   * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves with
   * head {@code root} (RFC 9162 section 2.1.3.2).
   *
   * @throws VerificationException {@link Reason#PROOF_INVALID} or {@link Reason#TOO_LARGE}
   */
  public static void verifyInclusion(
      long index, long size, Hash leafHash, List<Hash> proof, Hash root)
      throws VerificationException {
    checkLength(proof);
    if (index < 0 || index >= size) {
      throw invalid("leaf index " + index + " outside a tree of " + size);
    }
    long fn = index;
    long sn = size - 1;
    Hash r = leafHash;
    for (Hash p : proof) {
      if (sn == 0) {
        throw invalid("inclusion proof is longer than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0 || !r.equals(root)) {
      throw invalid("inclusion proof does not lead to the tree head");
    }
  }

  /**
   * Verifies that the tree of {@code oldSize} leaves with head {@code oldRoot} is a prefix of the
   * tree of {@code newSize} leaves with head {@code newRoot} (RFC 9162 section 2.1.4.2). Equal
   * sizes need equal heads and an empty proof; size 0 is a prefix of everything with an empty
   * proof.
   *
   * @throws VerificationException {@link Reason#PROOF_INVALID} or {@link Reason#TOO_LARGE}
   */
  public static void verifyConsistency(
      long oldSize, long newSize, Hash oldRoot, Hash newRoot, List<Hash> proof)
      throws VerificationException {
    checkLength(proof);
    if (oldSize < 0 || oldSize > newSize) {
      throw invalid("old size " + oldSize + " outside 0.." + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      if (!proof.isEmpty()) {
        throw invalid("a proof between these sizes must be empty");
      }
      if (oldSize == newSize && !oldRoot.equals(newRoot)) {
        throw invalid("trees of equal size have different heads");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw invalid("consistency proof is empty");
    }
    List<Hash> path = proof;
    if (Long.bitCount(oldSize) == 1) {
      path = new ArrayList<>(proof.size() + 1);
      path.add(oldRoot);
      path.addAll(proof);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    Hash fr = path.get(0);
    Hash sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      Hash c = path.get(i);
      if (sn == 0) {
        throw invalid("consistency proof is longer than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0 || !fr.equals(oldRoot) || !sr.equals(newRoot)) {
      throw invalid("consistency proof does not lead to both tree heads");
    }
  }

  private static Hash subtreeRoot(List<Hash> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
  }

  private static void addPath(List<Hash> leaves, int m, int from, int to, List<Hash> path) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      addPath(leaves, m, from, from + k, path);
      path.add(subtreeRoot(leaves, from + k, to));
    } else {
      addPath(leaves, m - k, from + k, to, path);
      path.add(subtreeRoot(leaves, from, from + k));
    }
  }

  private static void addSubproof(
      List<Hash> leaves, int m, int from, int to, boolean complete, List<Hash> proof) {
    int n = to - from;
    if (m == n) {
      if (!complete) {
        proof.add(subtreeRoot(leaves, from, to));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      addSubproof(leaves, m, from, from + k, complete, proof);
      proof.add(subtreeRoot(leaves, from + k, to));
    } else {
      addSubproof(leaves, m - k, from + k, to, false, proof);
      proof.add(subtreeRoot(leaves, from, from + k));
    }
  }

  /** The largest power of two strictly smaller than {@code n}, for {@code n >= 2}. */
  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static void checkLength(List<Hash> proof) throws VerificationException {
    if (proof.size() > Limits.MERKLE_PROOF_HASHES_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE, "proof exceeds " + Limits.MERKLE_PROOF_HASHES_MAX + " hashes");
    }
  }

  private static VerificationException invalid(String detail) {
    return new VerificationException(Reason.PROOF_INVALID, detail);
  }
}
