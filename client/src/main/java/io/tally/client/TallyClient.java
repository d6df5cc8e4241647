package io.tally.client;

import io.tally.protocol.Limits;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.token.AccessToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Talks to a gateway (instructions, status, receipts) and an identity desk (governance). Every call
 * that waits takes an explicit timeout and gives up with {@link TallyException.Kind#DEADLINE} when
 * it passes; nothing retries forever. Thread-safe.
 */
public final class TallyClient {

  /** A submission the log acknowledged: not final yet. */
  public record Submitted(String id, long offset) {}

  /**
   * Where an instruction stands: {@code FINAL} with the certified outcome {@code code}.
   *
   * @param asOfHeight the certified height the gateway answered at
   */
  public record Status(String id, String status, String code, long offset, long asOfHeight) {

    /** Whether the certified outcome is {@code ACCEPTED}. */
    public boolean accepted() {
      return "ACCEPTED".equals(code);
    }
  }

  /**
   * A governance proposal as the desk holds it: {@code status} is {@code OPEN} (collecting
   * approvals), {@code APPROVED} (published, no certified block holds it yet) or {@code FINAL},
   * with the network's outcome in {@code code} ({@code ACCEPTED}, or the rule that refused it);
   * {@code code} is empty before.
   */
  public record Proposal(
      String id, String kind, String status, int threshold, List<String> approvedBy, String code) {

    /** Whether the network's outcome is {@code ACCEPTED}. */
    public boolean accepted() {
      return "ACCEPTED".equals(code);
    }
  }

  /**
   * An account's balances in minor units, as of certified height {@code height}. The gateway sends
   * amounts as decimal strings (every unit of a {@code long}, also beyond 2^53); they are read back
   * exactly.
   */
  public record Account(
      String id, String owner, String asset, long postedBalance, long available, long height) {}

  /** Who reads: a participant and one of its keys, for the gateways of one network. */
  private record Credentials(String participant, SigningKey key, String audience) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(1);

  private static final Duration POLL_FIRST = Duration.ofMillis(50);
  private static final Duration POLL_MAX = Duration.ofMillis(500);
  private static final long SERVER_WAIT_MAX_SECONDS = 30;
  private static final int PROBLEM_BYTES_MAX = 64 * 1024;

  private final URI gateway;
  private final @Nullable URI identity;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final @Nullable Credentials credentials;

  private TallyClient(
      URI gateway,
      @Nullable URI identity,
      Duration requestTimeout,
      @Nullable Credentials credentials) {
    this.gateway = gateway;
    this.identity = identity;
    this.requestTimeout = requestTimeout;
    this.credentials = credentials;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  /**
   * A client of the gateway at {@code gateway} and, for governance, the identity desk at {@code
   * identity} (null if not needed); a single request gives up after {@code requestTimeout}.
   */
  public static TallyClient create(URI gateway, @Nullable URI identity, Duration requestTimeout) {
    return new TallyClient(gateway, identity, requestTimeout, null);
  }

  /**
   * This client, reading as {@code participant}: each read carries a fresh access token (one
   * minute, single use) signed with {@code key} for the gateways of the network named {@code
   * network} in its genesis.
   */
  public TallyClient readingAs(String participant, SigningKey key, String network) {
    return new TallyClient(
        gateway,
        identity,
        requestTimeout,
        new Credentials(participant, key, AccessToken.gatewayAudience(network)));
  }

  /** The caller's accounts (every account for an auditor), following the cursor to the end. */
  public List<Account> accounts() throws TallyException {
    List<Account> accounts = new ArrayList<>();
    String after = "";
    while (true) {
      JsonObject page =
          expect(
              send(authorized("/v1/accounts?limit=100&after=" + encode(after)), requestTimeout),
              200);
      try {
        for (Object item : page.array("accounts", 100)) {
          accounts.add(account((JsonObject) item));
        }
        if (!page.has("next") || page.isNull("next")) {
          return accounts;
        }
        after = page.string("next");
      } catch (JsonException | ClassCastException e) {
        throw unexpected(e);
      }
    }
  }

  /** One of the caller's accounts. */
  public Account account(String id) throws TallyException {
    return account(expect(send(authorized("/v1/accounts/" + encode(id)), requestTimeout), 200));
  }

  /** A page of an account's movements, oldest first, as the gateway's JSON. */
  public byte[] postings(String id, long after, int limit) throws TallyException {
    HttpResponse<byte[]> response =
        send(
            authorized(
                "/v1/accounts/" + encode(id) + "/postings?after=" + after + "&limit=" + limit),
            requestTimeout);
    if (response.statusCode() != 200) {
      throw problem(response);
    }
    return response.body();
  }

  private HttpRequest.Builder authorized(String path) throws TallyException {
    if (credentials == null) {
      throw new TallyException(
          TallyException.Kind.REFUSED, 0, "", "reads need readingAs(participant, key, network)");
    }
    byte[] tokenId = new byte[16];
    RANDOM.nextBytes(tokenId);
    String token =
        AccessToken.issue(
            credentials.participant(),
            credentials.audience(),
            System.currentTimeMillis() / 1000,
            TOKEN_LIFETIME,
            tokenId,
            credentials.key());
    return request(gateway, path).header("Authorization", "Bearer " + token).GET();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static Account account(JsonObject body) throws TallyException {
    try {
      return new Account(
          body.string("id"),
          body.string("owner"),
          body.string("asset"),
          amount(body, "postedBalance"),
          amount(body, "available"),
          body.integer("height"));
    } catch (JsonException e) {
      throw unexpected(e);
    }
  }

  /** An amount: a decimal string of a signed 64-bit integer (ADR 0005, ADR 0015). */
  private static long amount(JsonObject body, String name) throws JsonException {
    String text = body.string(name);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new JsonException(name + " is not a decimal amount: " + text);
    }
  }

  /** Submits an instruction; returns once the log acknowledged it (202). */
  public Submitted submit(SignedInstruction instruction) throws TallyException {
    HttpResponse<byte[]> response = send(submitRequest(instruction, 0), requestTimeout);
    JsonObject body = expect(response, 202);
    return new Submitted(string(body, "id"), integer(body, "offset"));
  }

  /**
   * One batch item's result: {@code SUBMITTED} (with its log offset) or {@code REJECTED} (with the
   * Problem Details type, HTTP status and detail a single submission would have got).
   */
  public record BatchItem(
      int index,
      String status,
      String id,
      long offset,
      String type,
      int httpStatus,
      String detail) {

    public boolean submitted() {
      return "SUBMITTED".equals(status);
    }
  }

  /**
   * Submits several instructions in one request (at most the gateway's {@code batch-max}); each is
   * checked as a single submission would be and the passing ones are written in order. Returns once
   * the log acknowledged all written ones.
   */
  public List<BatchItem> submitAll(List<SignedInstruction> instructions) throws TallyException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes("{\"instructions\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int i = 0; i < instructions.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.writeBytes(instructions.get(i).toBytes());
    }
    body.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    HttpResponse<byte[]> response =
        send(
            request(gateway, "/v1/instructions/batch")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
            requestTimeout);
    JsonObject answer = expect(response, 200);
    List<BatchItem> items = new ArrayList<>();
    try {
      for (Object item : answer.array("results", Integer.MAX_VALUE)) {
        JsonObject result = (JsonObject) item;
        boolean ok = result.string("status").equals("SUBMITTED");
        items.add(
            new BatchItem(
                (int) result.integer("index"),
                result.string("status"),
                ok ? result.string("id") : "",
                ok ? result.integer("offset") : -1,
                ok ? "" : result.string("type"),
                ok ? 0 : (int) result.integer("httpStatus"),
                ok ? "" : result.string("detail")));
      }
    } catch (JsonException | ClassCastException e) {
      throw unexpected(e);
    }
    return items;
  }

  /**
   * Submits an instruction and waits until it is final or {@code timeout} passes. Submitting an
   * instruction that was submitted before is safe: the network settles an id at most once and
   * reports the first outcome.
   *
   * @throws TallyException {@link TallyException.Kind#DEADLINE} if it is not final in time
   */
  public Status submitAndAwait(SignedInstruction instruction, Duration timeout)
      throws TallyException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long waitSeconds = Math.min(SERVER_WAIT_MAX_SECONDS, Math.max(0, timeout.toSeconds() - 1));
    HttpResponse<byte[]> response =
        send(submitRequest(instruction, waitSeconds), requestTimeout.plusSeconds(waitSeconds));
    if (response.statusCode() == 200) {
      return status(expect(response, 200));
    }
    expect(response, 202);
    return await(instruction.id(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /** The instruction's status, or empty while no certified block holds it. */
  public Optional<Status> status(String id) throws TallyException {
    HttpResponse<byte[]> response =
        send(request(gateway, "/v1/instructions/" + id).GET(), requestTimeout);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(status(expect(response, 200)));
  }

  /**
   * Waits until the instruction is final.
   *
   * @throws TallyException {@link TallyException.Kind#DEADLINE} if it is not final in time
   */
  public Status await(String id, Duration timeout) throws TallyException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = POLL_FIRST;
    while (true) {
      Optional<Status> status = status(id);
      if (status.isPresent()) {
        return status.get();
      }
      pause = sleepUntil(deadline, pause, "instruction " + id + " is not final yet");
    }
  }

  /**
   * The receipt of a final instruction (the JSON form {@link
   * io.tally.protocol.receipt.Receipt#parse} reads), waiting up to {@code timeout} for the ledger
   * to commit the block. Verify it with the genesis before relying on it.
   */
  public byte[] receipt(String id, Duration timeout) throws TallyException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = POLL_FIRST;
    while (true) {
      HttpResponse<byte[]> response =
          send(request(gateway, "/v1/instructions/" + id + "/receipt").GET(), requestTimeout);
      if (response.statusCode() == 200) {
        return response.body();
      }
      if (response.statusCode() != 503 && response.statusCode() != 404) {
        throw problem(response);
      }
      pause = sleepUntil(deadline, pause, "no receipt for " + id + " yet: " + detail(response));
    }
  }

  /** Proposes a governance change to the identity desk, with the proofs of keys it brings in. */
  public Proposal propose(GovernanceChange change, List<CompactJws> proofs) throws TallyException {
    JsonWriter json =
        new JsonWriter().beginObject().member("payload", Base64Url.encode(change.payload()));
    json.name("proofs").beginArray();
    proofs.forEach(proof -> json.value(proof.serialize()));
    json.endArray().endObject();
    HttpResponse<byte[]> response =
        send(
            request(identity(), "/v1/proposals")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.toUtf8())),
            requestTimeout);
    return proposal(expect(response, 201));
  }

  /** The payload bytes of proposal {@code id}, as the desk holds them: review before approving. */
  public byte[] proposalPayload(String id) throws TallyException {
    HttpResponse<byte[]> response =
        send(request(identity(), "/v1/proposals/" + id).GET(), requestTimeout);
    JsonObject body = expect(response, 200);
    try {
      return Base64Url.decode(string(body, "payload"));
    } catch (IllegalArgumentException e) {
      throw new TallyException(
          TallyException.Kind.UNAVAILABLE, "the desk sent a payload that is not base64url", e);
    }
  }

  /** Approves proposal {@code id} with an administrator's key, over {@code payload}. */
  public Proposal approve(String id, byte[] payload, SigningKey administrator)
      throws TallyException {
    GovernanceChange change = new GovernanceChange(id, "", payload);
    byte[] json =
        new JsonWriter()
            .beginObject()
            .member("approval", change.approval(administrator).serialize())
            .endObject()
            .toUtf8();
    HttpResponse<byte[]> response =
        send(
            request(identity(), "/v1/proposals/" + id + "/approvals")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)),
            requestTimeout);
    return proposal(expect(response, 200));
  }

  // ------------------------------------------------------------------ plumbing

  private HttpRequest.Builder submitRequest(SignedInstruction instruction, long waitSeconds) {
    HttpRequest.Builder request =
        request(gateway, "/v1/instructions")
            .header("Content-Type", "application/jose+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(instruction.toBytes()));
    if (waitSeconds > 0) {
      request.header("Prefer", "wait=" + waitSeconds + ", return=minimal");
    }
    return request;
  }

  private URI identity() throws TallyException {
    if (identity == null) {
      throw new TallyException(
          TallyException.Kind.REFUSED, 0, "", "no identity desk URL was configured");
    }
    return identity;
  }

  private static HttpRequest.Builder request(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json");
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request, Duration timeout)
      throws TallyException {
    HttpRequest built = request.timeout(timeout).build();
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new TallyException(
          TallyException.Kind.DEADLINE, "no answer from " + built.uri() + " within " + timeout, e);
    } catch (IOException e) {
      throw new TallyException(
          TallyException.Kind.UNAVAILABLE,
          "cannot reach " + built.uri() + ": " + e.getClass().getSimpleName(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TallyException(TallyException.Kind.DEADLINE, "interrupted", e);
    }
  }

  /** Sleeps before the next poll, or throws DEADLINE if the next poll would be too late. */
  private static Duration sleepUntil(long deadline, Duration pause, String why)
      throws TallyException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new TallyException(TallyException.Kind.DEADLINE, 0, "", why);
    }
    try {
      Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TallyException(TallyException.Kind.DEADLINE, "interrupted", e);
    }
    Duration next = pause.multipliedBy(2);
    return next.compareTo(POLL_MAX) > 0 ? POLL_MAX : next;
  }

  private static JsonObject expect(HttpResponse<byte[]> response, int status)
      throws TallyException {
    if (response.statusCode() != status) {
      throw problem(response);
    }
    try {
      return JsonReader.parseObject(response.body(), Limits.JSON_DEPTH_MAX);
    } catch (JsonException e) {
      throw new TallyException(
          TallyException.Kind.UNAVAILABLE, "the server sent JSON that does not parse", e);
    }
  }

  private static TallyException problem(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    String type = "";
    String detail = "HTTP " + status;
    if (response.body().length <= PROBLEM_BYTES_MAX) {
      try {
        JsonObject problem = JsonReader.parseObject(response.body(), Limits.JSON_DEPTH_MAX);
        type = problem.optionalString("type").orElse("");
        detail =
            problem.optionalString("detail").orElse(problem.optionalString("title").orElse(detail));
      } catch (JsonException e) {
        // Not Problem Details (a proxy's page, say): the status says enough.
      }
    }
    TallyException.Kind kind =
        status >= 500 || status == 429
            ? TallyException.Kind.UNAVAILABLE
            : TallyException.Kind.REFUSED;
    return new TallyException(kind, status, type, detail + " (HTTP " + status + ")");
  }

  private static String detail(HttpResponse<byte[]> response) {
    return String.valueOf(problem(response).getMessage());
  }

  private static Status status(JsonObject body) throws TallyException {
    return new Status(
        string(body, "id"),
        string(body, "status"),
        string(body, "code"),
        integer(body, "offset"),
        integer(body, "asOfHeight"));
  }

  private static Proposal proposal(JsonObject body) throws TallyException {
    try {
      List<String> approvedBy = new ArrayList<>();
      for (Object administrator : body.array("approvedBy", 64)) {
        approvedBy.add((String) administrator);
      }
      return new Proposal(
          body.string("id"),
          body.string("kind"),
          body.string("status"),
          (int) body.integer("threshold"),
          approvedBy,
          body.optionalString("code").orElse(""));
    } catch (JsonException | ClassCastException e) {
      throw unexpected(e);
    }
  }

  private static String string(JsonObject body, String name) throws TallyException {
    try {
      return body.string(name);
    } catch (JsonException e) {
      throw unexpected(e);
    }
  }

  private static long integer(JsonObject body, String name) throws TallyException {
    try {
      return body.integer(name);
    } catch (JsonException e) {
      throw unexpected(e);
    }
  }

  private static TallyException unexpected(Exception e) {
    return new TallyException(
        TallyException.Kind.UNAVAILABLE, "the server's answer lacks " + e.getMessage(), e);
  }
}
