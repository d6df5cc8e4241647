package io.tally.cli;

import io.tally.client.Keys;
import io.tally.client.TallyClient;
import io.tally.protocol.Limits;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Reads as a participant (accounts, history, finality events) or as an auditor (blocks), with
 * access tokens signed locally (ADR 0010).
 */
final class ReadCommands {

  private ReadCommands() {}

  /**
   * Who reads: one key file is enough. The participant is {@code --participant}, else {@code
   * TALLY_PARTICIPANT}, else the participant the identity desk lists with that key; the network
   * (the token's audience) comes from {@code --genesis}, else {@code TALLY_GENESIS}, else the
   * desk's {@code GET /v1/network/genesis}.
   */
  static final class Reader {
    @Option(
        names = "--participant",
        defaultValue = "${env:TALLY_PARTICIPANT}",
        description =
            "the participant reading (env TALLY_PARTICIPANT; default: the participant the identity"
                + " desk lists with --key's key)")
    @Nullable String participant;

    @Option(
        names = "--key",
        defaultValue = "${env:TALLY_KEY}",
        description = "one of the reader's private key files (env TALLY_KEY); required")
    @Nullable Path key;

    @Option(
        names = "--genesis",
        defaultValue = "${env:TALLY_GENESIS}",
        description =
            "the network's genesis file (env TALLY_GENESIS; default: the identity desk's)")
    @Nullable Path genesis;

    TallyClient client(CommandLine.Model.CommandSpec spec, Tally.Connection connection)
        throws Exception {
      Path keyFile = key;
      if (keyFile == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "Missing required option: '--key=<key>' (or env TALLY_KEY): a private key file of the"
                + " participant reading");
      }
      SigningKey signing = Keys.read(keyFile);
      TallyClient client = connection.client(spec);
      String network =
          genesis != null
              ? Genesis.load(genesis).network()
              : Genesis.parse(client.genesis()).network();
      String reader =
          participant != null && !participant.isBlank()
              ? participant
              : Participants.ofKey(spec, client, signing);
      return client.readingAs(reader, signing, network);
    }
  }

  @Command(
      name = "accounts",
      description = {
        "The caller's accounts and balances (all accounts for an auditor), or one.",
        "Amounts are shown in the asset's units (7500.00 EUR); with --json in minor units, as"
            + " decimal strings (ADR 0015), with the asset's scale."
      })
  static final class Accounts implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "one account id (default: all)")
    @Nullable String id;

    @Mixin Reader reader;
    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = reader.client(spec, connection);
      List<TallyClient.Account> accounts =
          id == null ? client.accounts() : List.of(client.account(id));
      Amounts.Scales scales = new Amounts.Scales(client, spec.commandLine().getErr());
      JsonWriter json = new JsonWriter().beginObject().name("accounts").beginArray();
      StringBuilder text = new StringBuilder();
      for (TallyClient.Account account : accounts) {
        json.beginObject()
            .member("id", account.id())
            .member("owner", account.owner())
            .member("asset", account.asset())
            // Amounts as decimal strings, as the gateway sends them (ADR 0015).
            .member("postedBalance", Long.toString(account.postedBalance()))
            .member("available", Long.toString(account.available()));
        scales.known(account.asset()).ifPresent(scale -> json.member("scale", scale));
        json.member("height", account.height()).endObject();
        text.append(
            String.format(
                "%-16s %-12s %24s  (available %s, height %d)%n",
                account.id(),
                account.owner(),
                Amounts.format(account.postedBalance(), account.asset(), scales),
                Amounts.format(account.available(), account.asset(), scales),
                account.height()));
      }
      output.print(
          spec,
          json.endArray().endObject(),
          accounts.isEmpty() ? "no accounts" : text.toString().stripTrailing());
      return 0;
    }
  }

  @Command(
      name = "history",
      description = {
        "An account's movements, oldest first.",
        "With --json, the gateway's page as it sent it (amounts in minor units, decimal strings);"
            + " `next` is the --after of the next page."
      })
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
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = reader.client(spec, connection);
      byte[] page = client.postings(id, after, limit);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json) {
        out.println(new String(page, StandardCharsets.UTF_8));
        out.flush();
        return 0;
      }
      Amounts.Scales scales = new Amounts.Scales(client, spec.commandLine().getErr());
      StringBuilder text = new StringBuilder();
      JsonObject body = parse(page);
      List<Object> postings = body.array("postings", 1000);
      for (Object item : postings) {
        JsonObject posting = (JsonObject) item;
        String instruction = posting.isNull("instructionId") ? "" : posting.string("instructionId");
        text.append(
            String.format(
                "#%-6d height %-6d %-9s %-16s -> %-16s %24s  %s%n",
                posting.integer("id"),
                posting.integer("height"),
                posting.string("movement"),
                posting.string("debit"),
                posting.string("credit"),
                Amounts.format(
                    Long.parseLong(posting.string("amount")), posting.string("asset"), scales),
                instruction));
      }
      if (postings.isEmpty()) {
        text.append("no movements after ").append(after).append('\n');
      }
      if (body.has("next") && !body.isNull("next")) {
        text.append("more: tally history ")
            .append(id)
            .append(" --after ")
            .append(body.integer("next"))
            .append('\n');
      }
      out.println(text.toString().stripTrailing());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "blocks",
      description = {
        "The certified chain, newest first, or one block: the gateway's audit API"
            + " (GET /v1/audit/blocks, docs/audit-api.md), read as a participant with the role"
            + " auditor.",
        "With --json, the gateway's answer as it sent it."
      })
  static final class Blocks implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "one block height (default: a page)")
    @Nullable Long height;

    @Option(names = "--before", description = "cursor: the `next` of the previous page")
    @Nullable String before;

    @Option(names = "--limit", defaultValue = "20", description = "1 to 100 (default 20)")
    int limit;

    @Mixin Reader reader;
    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = reader.client(spec, connection);
      Long one = height;
      byte[] answer =
          one != null
              ? client.auditBlock(one)
              : client.auditBlocks(before == null ? "" : before, limit);
      PrintWriter out = spec.commandLine().getOut();
      if (output.json) {
        out.println(new String(answer, StandardCharsets.UTF_8));
        out.flush();
        return 0;
      }
      JsonObject body = parse(answer);
      List<JsonObject> blocks = new ArrayList<>();
      if (one != null) {
        blocks.add(body);
      } else {
        for (Object item : body.array("blocks", 1000)) {
          blocks.add((JsonObject) item);
        }
      }
      StringBuilder text = new StringBuilder();
      for (JsonObject block : blocks) {
        StringBuilder codes = new StringBuilder();
        if (block.has("codes")) {
          JsonObject counts = block.object("codes");
          for (String code : counts.names()) {
            codes
                .append(codes.length() == 0 ? "" : ", ")
                .append(code)
                .append(' ')
                .append(counts.integer(code));
          }
        }
        List<String> signers = new ArrayList<>();
        for (Object signer : block.array("signers", 1000)) {
          signers.add((String) signer);
        }
        text.append(
            String.format(
                "block %d: %d entries (log %d..%d)%s, certified by %s, committed %s%n",
                block.integer("height"),
                block.integer("entryCount"),
                block.integer("firstOffset"),
                block.integer("lastOffset"),
                codes.length() == 0 ? "" : " " + codes,
                String.join(", ", signers),
                block.string("committedAt")));
      }
      if (blocks.isEmpty()) {
        text.append("no blocks\n");
      }
      if (one == null && body.has("next") && !body.isNull("next")) {
        text.append("more: tally blocks --before ").append(body.string("next")).append('\n');
      }
      out.println(text.toString().stripTrailing());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "events",
      description = {
        "The caller's finality events as they happen (the gateway's GET /v1/events, Server-Sent"
            + " Events): one line per instruction in a newly certified block that the caller"
            + " signed or that moved one of its accounts (every one for an auditor).",
        "Without --follow it listens for --timeout (default 30s) and ends at a dropped"
            + " connection (exit 4). With --follow it runs until interrupted (or an explicit"
            + " --timeout passes), reconnecting after a dropped connection with a fresh token and"
            + " Last-Event-ID, the id (height:offset) of the last event it printed.",
        "With --json, each event's data as one JSON object per line."
      })
  static final class Events implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-f", "--follow"},
        description = "keep listening; reconnect when dropped")
    boolean follow;

    @Option(
        names = "--after",
        description = "resume after this event id (height:offset), sent as Last-Event-ID")
    @Nullable String after;

    @Mixin Reader reader;
    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = reader.client(spec, connection);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean timed = !follow || spec.commandLine().getParseResult().hasMatchedOption("--timeout");
      Duration duration = timed ? connection.timeout : null;
      client.events(
          after,
          follow,
          duration,
          new TallyClient.EventListener() {
            @Override
            public void event(TallyClient.Event event) {
              out.println(output.json ? event.data() : describe(event));
              out.flush();
            }

            @Override
            public void connected(@Nullable String lastEventId) {
              err.println(
                  "tally: listening for finality events"
                      + (lastEventId == null ? "" : " after " + lastEventId)
                      + (duration == null
                          ? " (Ctrl-C stops)"
                          : " for " + duration.toSeconds() + " s"));
              err.flush();
            }

            @Override
            public void dropped(String why, Duration retryIn) {
              err.println("tally: " + why + "; reconnecting in " + retryIn.toMillis() + " ms");
              err.flush();
            }
          });
      return 0;
    }

    /** A finality event in words: {@code 12:41 demo-dvp-1 ACCEPTED a-eur b-eur}. */
    static String describe(TallyClient.Event event) {
      try {
        JsonObject data =
            JsonReader.parseObject(
                event.data().getBytes(StandardCharsets.UTF_8), Limits.JSON_DEPTH_MAX);
        List<String> accounts = new ArrayList<>();
        if (data.has("accounts")) {
          for (Object account : data.array("accounts", 1000)) {
            accounts.add(String.valueOf(account));
          }
        }
        return event.id()
            + " "
            + data.string("instructionId")
            + " "
            + data.string("code")
            + (accounts.isEmpty() ? "" : " " + String.join(" ", accounts));
      } catch (JsonException | ClassCastException e) {
        return event.id() + " " + event.name() + " " + event.data();
      }
    }
  }

  /** The gateway's JSON; a body that does not parse is the server's failure, not the user's. */
  static JsonObject parse(byte[] body) throws Tally.Failed {
    try {
      return JsonReader.parseObject(body, Limits.JSON_DEPTH_MAX);
    } catch (JsonException e) {
      throw Participants.unavailable(
          "the gateway sent JSON that does not parse: " + e.getMessage());
    }
  }
}
