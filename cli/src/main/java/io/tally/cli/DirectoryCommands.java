package io.tally.cli;

import io.tally.client.TallyClient;
import io.tally.protocol.codec.JsonWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The directory as the identity desk serves it, as of the last finalized block: open to all. */
final class DirectoryCommands {

  private DirectoryCommands() {}

  private static void strings(JsonWriter json, String name, List<String> values) {
    json.name(name).beginArray();
    values.forEach(json::value);
    json.endArray();
  }

  @Command(
      name = "participants",
      description = "The registered participants, or one: its name, roles and key ids.")
  static final class Participants implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "one participant id (default: all)")
    @Nullable String id;

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      TallyClient client = connection.client(spec);
      String one = id;
      if (one == null) {
        List<String> ids = client.participants();
        JsonWriter json = new JsonWriter().beginObject();
        strings(json, "participants", ids);
        output.print(
            spec, json.endObject(), ids.isEmpty() ? "no participants yet" : String.join("\n", ids));
        return 0;
      }
      TallyClient.Participant p = client.participant(one);
      JsonWriter json =
          new JsonWriter().beginObject().member("id", p.id()).member("name", p.name());
      strings(json, "roles", p.roles());
      json.name("suspended").value(p.suspended());
      strings(json, "currentKeyIds", p.currentKeyIds());
      strings(json, "revokedKeyIds", p.revokedKeyIds());
      json.member("asOfHeight", p.asOfHeight()).endObject();
      output.print(
          spec,
          json,
          p.id()
              + " ("
              + p.name()
              + "), roles "
              + String.join(", ", p.roles())
              + (p.suspended() ? ", SUSPENDED" : "")
              + "\n  keys: "
              + String.join(", ", p.currentKeyIds())
              + (p.revokedKeyIds().isEmpty()
                  ? ""
                  : "\n  revoked: " + String.join(", ", p.revokedKeyIds()))
              + "\n  as of block "
              + p.asOfHeight());
      return 0;
    }
  }

  @Command(
      name = "assets",
      description = "The registered assets: code, scale (decimal places) and issuer.")
  static final class Assets implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Mixin Tally.Connection connection;
    @Mixin Tally.Output output;

    @Override
    public Integer call() throws Exception {
      List<TallyClient.Asset> assets = connection.client(spec).assets();
      JsonWriter json = new JsonWriter().beginObject().name("assets").beginArray();
      StringBuilder text = new StringBuilder();
      for (TallyClient.Asset asset : assets) {
        json.beginObject()
            .member("code", asset.code())
            .member("scale", asset.scale())
            .member("issuer", asset.issuer())
            .endObject();
        text.append(
            String.format(
                "%-12s %d decimal places, issued by %s%n",
                asset.code(), asset.scale(), asset.issuer()));
      }
      output.print(
          spec,
          json.endArray().endObject(),
          assets.isEmpty() ? "no assets yet" : text.toString().stripTrailing());
      return 0;
    }
  }
}
