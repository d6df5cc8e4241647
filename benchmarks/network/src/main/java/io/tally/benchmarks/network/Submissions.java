package io.tally.benchmarks.network;

import io.tally.engine.TestNetwork;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/** What the load generators submit: signed settlements, and the gateway requests carrying them. */
final class Submissions {

  private Submissions() {}

  /**
   * Settlements {@code prefix + first} to {@code prefix + (first + count - 1)} of 1 EUR minor unit
   * from bank-a's issuance account to b-eur, signed by bank-a, on every core (ahead of a phase, so
   * the signing does not compete with what is measured).
   */
  static List<byte[]> signed(String prefix, int first, int count, long notAfter) {
    return IntStream.range(first, first + count)
        .parallel()
        .mapToObj(
            i ->
                GeneralJws.sign(
                        JwsType.INSTRUCTION,
                        TestNetwork.settle(
                            prefix + i, notAfter, TestNetwork.leg("a-issue", "b-eur", "EUR", 1)),
                        List.of(TestNetwork.BANK_A))
                    .toBytes())
        .toList();
  }

  /**
   * A request to {@code gateway}: {@code POST /v1/instructions} with the one instruction when
   * {@code single}, else {@code POST /v1/instructions/batch} with {@code {"instructions": [...]}}.
   */
  static HttpRequest.Builder request(URI gateway, List<byte[]> instructions, boolean single) {
    if (single) {
      return HttpRequest.newBuilder(gateway.resolve("/v1/instructions"))
          .header("Content-Type", "application/jose+json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(instructions.get(0)));
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"instructions\":[".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < instructions.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.writeBytes(instructions.get(i));
    }
    body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
    return HttpRequest.newBuilder(gateway.resolve("/v1/instructions/batch"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
  }
}
