package io.tally.cli;

import io.tally.client.Keys;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.keys.SigningKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally keygen --out FILE}: a new Ed25519 key; prints its key id and public JWK. */
@Command(
    name = "keygen",
    description =
        "Generate an Ed25519 key into a new file (never overwrites); print its public JWK.")
final class KeygenCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "the private key file to create")
  Path out;

  @Mixin Tally.Output output;

  @Override
  public Integer call() throws Exception {
    SigningKey key = Keys.generate(out);
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("kid", key.keyId())
            .member("file", out.toAbsolutePath().toString())
            .name("jwk");
    key.verificationKey().toJwk().writeTo(json);
    output.print(
        spec,
        json.endObject(),
        "key "
            + key.keyId()
            + " written to "
            + out
            + "\npublic JWK: "
            + key.verificationKey().toJwk().toJson());
    return 0;
  }
}
