package io.tally.cli;

import io.tally.client.Keys;
import io.tally.client.TallyClient;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.genesis.Genesis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads as a participant: accounts, balances and history, with access tokens signed locally. */
final class ReadCommands {

  private ReadCommands() {}

  /** Who reads: the participant, its key, and the network (for the token's audience). */
  static final class Reader {
    @Option(names = "--participant", required = true, description = "the participant reading")
    String participant = "";

    @Option(names = "--key", required = true, description = "one of its private key files")
    Path key = Path.of("");

    @Option(
        names = "--genesis",
        defaultValue = "${env:TALLY_GENESIS}",
        required = true,
        description = "the network's genesis file (env TALLY_GENESIS)")
    Path genesis = Path.of("");

    TallyClient client(Tally.Connection connection) throws Exception {
      return connection
          .client()
          .readingAs(participant, Keys.read(key), Genesis.load(genesis).network());
    }
  }

  @Command(
      name = "accounts",
      description = "The caller's accounts and balances (all accounts for an auditor), or one.")
  static final class Accounts implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "one account id (default: all)")
    @Nullable String id;

    @Mixin Reader reader;
    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = reader.client(connection);
      List<TallyClient.Account> accounts =
          id == null ? client.accounts() : List.of(client.account(id));
      JsonWriter json = new JsonWriter().beginObject().name("accounts").beginArray();
      StringBuilder text = new StringBuilder();
      for (TallyClient.Account account : accounts) {
        json.beginObject()
            .member("id", account.id())
            .member("owner", account.owner())
            .member("asset", account.asset())
            // Amounts as decimal strings, as the gateway sends them (ADR 0015).
            .member("postedBalance", Long.toString(account.postedBalance()))
            .member("available", Long.toString(account.available()))
            .member("height", account.height())
            .endObject();
        text.append(
            String.format(
                "%-16s %-12s %-8s %20d (available %d, height %d)%n",
                account.id(),
                account.owner(),
                account.asset(),
                account.postedBalance(),
                account.available(),
                account.height()));
      }
      output.print(spec, json.endArray().endObject(), text.toString().stripTrailing());
      return 0;
    }
  }

  @Command(name = "history", description = "An account's movements, oldest first (JSON).")
  static final class History implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the account id")
    String id = "";

    @Option(names = "--after", defaultValue = "0", description = "cursor: the last posting id seen")
    long after;

    @Option(names = "--limit", defaultValue = "20", description = "at most 100")
    int limit;

    @Mixin Reader reader;
    @Mixin Tally.Connection connection;

    @Override
    public Integer call() throws Exception {
      byte[] page = reader.client(connection).postings(id, after, limit);
      spec.commandLine().getOut().println(new String(page, StandardCharsets.UTF_8));
      return 0;
    }
  }
}
