package io.tally.gateway.instructions.infrastructure;

import io.tally.gateway.instructions.application.LedgerEntries;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ledger replica's {@code GET /v1/entries/{id}} over HTTP. The record and header arrive as
 * base64url of their exact bytes; the certificate is a JSON member whose text is taken as Jackson
 * writes it back (its signatures cover the header bytes, not its JSON layout, so its verification
 * does not depend on that text).
 */
final class HttpLedgerEntries implements LedgerEntries {

  private static final Logger log = LoggerFactory.getLogger(HttpLedgerEntries.class);

  private final URI ledger;
  private final Duration timeout;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  HttpLedgerEntries(URI ledger, Duration timeout) {
    this.ledger = ledger;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Optional<Parts> entry(String id, long offset) throws Unreachable, Unreadable {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(
                      ledger.resolve(
                          "/v1/entries/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                  .timeout(timeout)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      log.warn("the ledger at {} is not reachable: {}", ledger, e.toString());
      throw new Unreachable("the ledger is not reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while asking the ledger", e);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new Unreachable(
          "the ledger answered " + response.statusCode() + " for the entries of " + id,
          new IOException("HTTP " + response.statusCode()));
    }
    try {
      JsonNode entries = json.readTree(response.body()).required("entries");
      for (JsonNode entry : entries) {
        if (entry.required("offset").asLong() == offset) {
          return Optional.of(parts(entry));
        }
      }
      return Optional.empty();
    } catch (JacksonException | IllegalArgumentException e) {
      // The parser's message quotes the ledger's body: it goes to the log, not to the client.
      log.warn("the ledger's answer for {} is not an entry: {}", id, e.toString());
      throw new Unreadable("the ledger's answer is not an entry", e);
    }
  }

  private static Parts parts(JsonNode entry) {
    JsonNode block = entry.required("block");
    JsonNode proof = entry.required("proof");
    return new Parts(
        Base64Url.decode(entry.required("record").asString()),
        Base64Url.decode(block.required("header").asString()),
        block.required("certificate").toString().getBytes(StandardCharsets.UTF_8),
        proof.required("index").asLong(),
        proof.required("treeSize").asLong(),
        hashes(proof.required("entries")),
        hashes(proof.required("results")));
  }

  private static List<Hash> hashes(JsonNode array) {
    List<Hash> list = new ArrayList<>();
    array.forEach(node -> list.add(Hash.ofHex(node.asString())));
    return list;
  }
}
