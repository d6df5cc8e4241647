package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.merkle.MerkleTree;
import io.tally.protocol.receipt.Receipt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tally verify-receipt} on receipts of a block a real engine computed from the test
 * network's world (governance registrations, then instructions), certified by 3 of 4 validators.
 */
class VerifyReceiptCommandTest {

  @TempDir Path dir;
  private Path genesis;

  @BeforeEach
  void writeGenesis() throws Exception {
    genesis = Files.write(dir.resolve("network.json"), TestNetwork.GENESIS_BYTES);
  }

  /** The receipt of record {@code index} of the world's block, with the verifier's sentence. */
  private static Receipt receipt(int index) throws Exception {
    List<LogRecord> world = new TestNetwork().world();
    BlockResult block = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0).execute(world);
    List<Hash> entries = world.stream().map(r -> MerkleTree.leafHash(r.value())).toList();
    List<Hash> results =
        block.outcomes().stream().map(o -> MerkleTree.leafHash(o.toBytes())).toList();
    List<Vote> votes =
        List.of(1, 2, 3).stream()
            .map(i -> Vote.sign(block.header(), TestNetwork.key("validator-" + i)))
            .toList();
    Outcome outcome = block.outcomes().get(index);
    Receipt receipt =
        new Receipt(
            Objects.requireNonNull(outcome.instructionId()),
            world.get(index).value(),
            outcome.toBytes(),
            block.header().toBytes(),
            QuorumCertificate.assemble(votes).toBytes(),
            index,
            world.size(),
            MerkleTree.inclusionProof(entries, index),
            MerkleTree.inclusionProof(results, index),
            "");
    return receipt.withFinality(receipt.verify(TestNetwork.GENESIS).finality());
  }

  private record Run(int exitCode, String output) {}

  private Run verify(Receipt receipt, String... options) throws Exception {
    Path file = Files.write(dir.resolve("receipt.json"), receipt.toJson());
    StringWriter out = new StringWriter();
    CommandLine commandLine = Tally.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    String[] base = {"verify-receipt", file.toString(), "--genesis", genesis.toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + options.length);
    System.arraycopy(options, 0, args, base.length, options.length);
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString());
  }

  @Test
  void aValidReceiptIsPrintedAsTheFactsTheVerifierEstablished() throws Exception {
    Receipt receipt = receipt(new TestNetwork().world().size() - 1);

    Run valid = verify(receipt);
    assertThat(valid.exitCode()).as(valid.output()).isZero();
    assertThat(valid.output())
        .contains(
            "VALID receipt for " + receipt.instructionId() + " (instruction), outcome ACCEPTED")
        .contains(receipt.verify(TestNetwork.GENESIS).finality());

    Run json = verify(receipt, "--json");
    assertThat(json.output())
        .contains("\"valid\":true", "\"entry\":\"instruction\"", "\"quorum\":3")
        .contains("\"signers\":[\"validator-1\",\"validator-2\",\"validator-3\"]");
  }

  @Test
  void aGovernanceChangesReceiptIsValidNotMalformed() throws Exception {
    Run valid = verify(receipt(0)); // the world's first record registers bank-a

    assertThat(valid.exitCode()).as(valid.output()).isZero();
    assertThat(valid.output()).contains("(governance change), outcome ACCEPTED");
  }

  @Test
  void aReceiptWhoseFinalitySentenceStatesOtherFactsIsInvalid() throws Exception {
    Receipt receipt = receipt(5);
    String honest = receipt.finality();
    for (String edited :
        List.of(
            honest.replace("certified by 3 of 4", "certified by 4 of 4"),
            honest.replace(" of block 1 ", " of block 2 "))) {
      assertThat(edited).isNotEqualTo(honest);
      Run invalid = verify(receipt.withFinality(edited));
      assertThat(invalid.exitCode()).as(invalid.output()).isEqualTo(Tally.REJECTED);
      assertThat(invalid.output()).contains("INVALID receipt", "FINALITY_MISMATCH");
      // The receipt's own words are never printed as a fact.
      assertThat(invalid.output()).doesNotContain(edited.substring(0, edited.indexOf(" over ")));
    }
    assertThat(new String(receipt.toJson(), StandardCharsets.UTF_8)).contains(honest);
  }
}
