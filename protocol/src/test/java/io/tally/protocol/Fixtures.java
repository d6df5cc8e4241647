package io.tally.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.codec.Sha256;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.Instance;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic keys and small networks for tests: the same seeds give the same bytes. */
public final class Fixtures {

  private Fixtures() {}

  /** The key with the fixed seed SHA-256("tally-test-key-" + name). */
  public static SigningKey key(String name) {
    return SigningKey.fromSeed(
        Sha256.of(("tally-test-key-" + name).getBytes(StandardCharsets.UTF_8)).toBytes());
  }

  /** Keys for {@code validator-1} .. {@code validator-n}. */
  public static List<SigningKey> validatorKeys(int n) {
    List<SigningKey> keys = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      keys.add(key("validator-" + i));
    }
    return keys;
  }

  /** A committee {@code validator-1..n} with quorum {@code q}. */
  public static Committee validators(int n, int q) {
    List<Member> members = new ArrayList<>();
    List<SigningKey> keys = validatorKeys(n);
    for (int i = 0; i < n; i++) {
      members.add(new Member("validator-" + (i + 1), keys.get(i).verificationKey()));
    }
    return new Committee(members, q);
  }

  /**
   * The genesis bytes of a network of 4 validators (q 3), 3 administrators (g 2), instances
   * gateway-1, identity-1 and validator-1-instance.
   */
  public static byte[] genesisBytes() {
    return Genesis.write(
        "tally-test",
        validators(4, 3).members(),
        3,
        List.of(member("admin-1"), member("admin-2"), member("admin-3")),
        2,
        List.of(
            instance("gateway-1", Role.GATEWAY),
            instance("identity-1", Role.IDENTITY),
            instance("validator-1-instance", Role.VALIDATOR)));
  }

  /** An instance of the genesis with {@link #key(String)} of its id. */
  public static Instance instance(String id, Role role) {
    return new Instance(member(id), role);
  }

  public static Genesis genesis() {
    try {
      return Genesis.parse(genesisBytes());
    } catch (GenesisException e) {
      throw new AssertionError(e);
    }
  }

  /** A check that may throw; see {@link #assertReason}. */
  public interface Check {
    void run() throws Exception;
  }

  /** Asserts that {@code check} throws a {@link VerificationException} with {@code reason}. */
  public static void assertReason(Check check, Reason reason) {
    assertThatThrownBy(check::run)
        .isInstanceOfSatisfying(
            VerificationException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  public static Member member(String id) {
    return new Member(id, key(id).verificationKey());
  }
}
