package io.tally.benchmarks;

import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw Bouncy Castle Ed25519 verification against the whole compact-JWS path (size check, split,
 * strict base64url, protected header JSON, kind and key lookup, verification) over the same signing
 * input, on one thread. Target: the JWS path keeps at least 90 % of the raw rate.
 *
 * <p>The raw case uses Bouncy Castle's fastest form, a pre-decoded public point, so the comparison
 * is against the best the library offers, not a handicapped baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class JwsVerificationBenchmark {

  /** An instruction-sized payload (about 300 bytes of JSON). */
  private static final byte[] PAYLOAD =
      ("{\"id\":\"01JD3K8ZQ4N6W2X5Y7A9B1C3D5\",\"kind\":\"settle\",\"notAfter\":1764000300000,"
              + "\"legs\":[{\"debit\":\"bank-a:eur:1\",\"credit\":\"bank-b:eur:7\",\"asset\":\"EUR\","
              + "\"amount\":\"125000\"},{\"debit\":\"bank-b:bond:7\",\"credit\":\"bank-a:bond:1\","
              + "\"asset\":\"DE0001102580\",\"amount\":\"100\"}],\"memo\":\"DvP trade 42\"}")
          .getBytes(StandardCharsets.UTF_8);

  private byte[] compact;
  private byte[] signingInput;
  private byte[] signature;
  private Ed25519.PublicPoint point;
  private KeyResolver resolver;

  @Setup
  public void setUp() {
    SigningKey key =
        SigningKey.fromSeed(Sha256.of("benchmark".getBytes(StandardCharsets.UTF_8)).toBytes());
    CompactJws jws = CompactJws.sign(JwsType.INSTRUCTION, PAYLOAD, key);
    compact = jws.toBytes();
    signingInput = jws.signingInput();
    signature = jws.signature();
    point = Ed25519.validatePublicKeyFullExport(key.verificationKey().toBytes(), 0);
    Map<String, io.tally.protocol.keys.VerificationKey> keys =
        Map.of(key.keyId(), key.verificationKey());
    resolver = kid -> Optional.ofNullable(keys.get(kid));
  }

  @Benchmark
  public boolean rawBouncyCastleEd25519Verify() {
    return Ed25519.verify(signature, 0, point, signingInput, 0, signingInput.length);
  }

  @Benchmark
  public VerifiedJws compactJwsParseAndVerify() throws VerificationException {
    return CompactJws.parse(compact).verify(JwsType.INSTRUCTION, resolver);
  }
}
