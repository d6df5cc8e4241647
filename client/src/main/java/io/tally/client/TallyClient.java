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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final Progress progress;

  private TallyClient(
      URI gateway,
      @Nullable URI identity,
      Duration requestTimeout,
      @Nullable Credentials credentials,
      Progress progress,
      @Nullable HttpClient http) {
    this.gateway = gateway;
    this.identity = identity;
    this.requestTimeout = requestTimeout;
    this.credentials = credentials;
    this.progress = progress;
    this.http =
        http != null ? http : HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  /**
   * What a waiting call reports while it waits: {@code what} it waits for and how long it has
   * waited so far. Called at most about once a second, on the waiting thread.
   */
  @FunctionalInterface
  public interface Progress {
    void waiting(String what, Duration waited, Duration timeout);

    /** Reports nothing. */
    Progress SILENT = (what, waited, timeout) -> {};
  }

  /** This client, reporting to {@code progress} while it waits for finality or a receipt. */
  public TallyClient withProgress(Progress progress) {
    return new TallyClient(gateway, identity, requestTimeout, credentials, progress, http);
  }

  /**
   * A client of the gateway at {@code gateway} and, for governance, the identity desk at {@code
   * identity} (null if not needed); a single request gives up after {@code requestTimeout}.
   */
  public static TallyClient create(URI gateway, @Nullable URI identity, Duration requestTimeout) {
    return new TallyClient(gateway, identity, requestTimeout, null, Progress.SILENT, null);
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
        new Credentials(participant, key, AccessToken.gatewayAudience(network)),
        progress,
        http);
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
    return account(expect(send(authorized("/v1/accounts/" + segment(id)), requestTimeout), 200));
  }

  /** A page of an account's movements, oldest first, as the gateway's JSON. */
  public byte[] postings(String id, long after, int limit) throws TallyException {
    HttpResponse<byte[]> response =
        send(
            authorized(
                "/v1/accounts/" + segment(id) + "/postings?after=" + after + "&limit=" + limit),
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

  /** {@code text} as a query parameter value. */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * {@code text} as one path segment: percent-encoded (RFC 3986), so an id with a space, a slash or
   * a {@code ?} reaches the server as the id it is, and the server's syntax check answers it.
   */
  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
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
    progress.waiting(
        "instruction " + instruction.id() + " to become final", Duration.ZERO, timeout);
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
        send(request(gateway, "/v1/instructions/" + segment(id)).GET(), requestTimeout);
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
    Waiting waiting = new Waiting(timeout);
    while (true) {
      Optional<Status> status = status(id);
      if (status.isPresent()) {
        return status.get();
      }
      waiting.pause(
          "instruction " + id + " to become final",
          "instruction "
              + id
              + " is not final after "
              + timeout.toSeconds()
              + " s (not submitted, or no certified block holds it yet)");
    }
  }

  /**
   * The receipt of a final instruction (the JSON form {@link
   * io.tally.protocol.receipt.Receipt#parse} reads), waiting up to {@code timeout} for the ledger
   * to commit the block. Verify it with the genesis before relying on it.
   */
  public byte[] receipt(String id, Duration timeout) throws TallyException {
    Waiting waiting = new Waiting(timeout);
    while (true) {
      HttpResponse<byte[]> response =
          send(
              request(gateway, "/v1/instructions/" + segment(id) + "/receipt").GET(),
              requestTimeout);
      if (response.statusCode() == 200) {
        return response.body();
      }
      if (response.statusCode() != 503 && response.statusCode() != 404) {
        throw problem(response);
      }
      waiting.pause(
          response.statusCode() == 404
              ? "instruction " + id + " to become final"
              : "the ledger to commit the block of " + id,
          "no receipt for " + id + " after " + timeout.toSeconds() + " s: " + detail(response));
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
        send(request(identity(), "/v1/proposals/" + segment(id)).GET(), requestTimeout);
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
            request(identity(), "/v1/proposals/" + segment(id) + "/approvals")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)),
            requestTimeout);
    return proposal(expect(response, 200));
  }

  // ------------------------------------------------------------------ directory (identity desk)

  /** An asset as the directory holds it: {@code scale} is the decimal places of a minor unit. */
  public record Asset(String code, int scale, String issuer) {}

  /** A participant as the directory holds it, as of certified height {@code asOfHeight}. */
  public record Participant(
      String id,
      String name,
      List<String> roles,
      boolean suspended,
      List<String> currentKeyIds,
      List<String> revokedKeyIds,
      long asOfHeight) {}

  private static final int DIRECTORY_ITEMS_MAX = 100_000;
  private static final int KEYS_MAX = 1_000;

  /** The registered assets, sorted by code, as of the last finalized block. */
  public List<Asset> assets() throws TallyException {
    JsonObject body = expect(send(request(identity(), "/v1/assets").GET(), requestTimeout), 200);
    List<Asset> assets = new ArrayList<>();
    try {
      for (Object item : body.array("assets", DIRECTORY_ITEMS_MAX)) {
        JsonObject asset = (JsonObject) item;
        assets.add(
            new Asset(asset.string("code"), (int) asset.integer("scale"), asset.string("issuer")));
      }
    } catch (JsonException | ClassCastException e) {
      throw unexpected(e);
    }
    return assets;
  }

  /** The participant ids, sorted, as of the last finalized block. */
  public List<String> participants() throws TallyException {
    JsonObject body =
        expect(send(request(identity(), "/v1/participants").GET(), requestTimeout), 200);
    try {
      return strings(body, "participants", DIRECTORY_ITEMS_MAX);
    } catch (JsonException | ClassCastException e) {
      throw unexpected(e);
    }
  }

  /** One participant; {@link TallyException.Kind#REFUSED} (404) if no finalized block has it. */
  public Participant participant(String id) throws TallyException {
    JsonObject body =
        expect(
            send(request(identity(), "/v1/participants/" + segment(id)).GET(), requestTimeout),
            200);
    try {
      return new Participant(
          body.string("id"),
          body.string("name"),
          strings(body, "roles", KEYS_MAX),
          body.bool("suspended"),
          strings(body, "currentKeyIds", KEYS_MAX),
          strings(body, "revokedKeyIds", KEYS_MAX),
          body.integer("asOfHeight"));
    } catch (JsonException | ClassCastException e) {
      throw unexpected(e);
    }
  }

  /**
   * The participant one of whose current keys has id {@code keyId}, if any: asks the directory for
   * every participant in turn (one request each), so it suits a small network or a one-off lookup.
   */
  public Optional<String> participantOfKey(String keyId) throws TallyException {
    for (String id : participants()) {
      if (participant(id).currentKeyIds().contains(keyId)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /** The genesis file as the identity desk serves it (exact bytes). */
  public byte[] genesis() throws TallyException {
    HttpResponse<byte[]> response =
        send(request(identity(), "/v1/network/genesis").GET(), requestTimeout);
    if (response.statusCode() != 200) {
      throw problem(response);
    }
    return response.body();
  }

  private static List<String> strings(JsonObject body, String name, int itemsMax)
      throws JsonException {
    List<String> values = new ArrayList<>();
    for (Object value : body.array(name, itemsMax)) {
      values.add((String) value);
    }
    return values;
  }

  // ------------------------------------------------------------------ audit (auditors only)

  /**
   * A page of the certified chain, newest first, from the gateway's audit API ({@code GET
   * /v1/audit/blocks}: the caller must read as a participant with the role {@code auditor}), as the
   * gateway's JSON. {@code before} is the previous page's {@code next} (empty for the newest).
   */
  public byte[] auditBlocks(String before, int limit) throws TallyException {
    String query = "?limit=" + limit + (before.isEmpty() ? "" : "&before=" + encode(before));
    return body(send(authorized("/v1/audit/blocks" + query), requestTimeout));
  }

  /** One block from the gateway's audit API, as its JSON (auditors only). */
  public byte[] auditBlock(long height) throws TallyException {
    return body(send(authorized("/v1/audit/blocks/" + height), requestTimeout));
  }

  private static byte[] body(HttpResponse<byte[]> response) throws TallyException {
    if (response.statusCode() != 200) {
      throw problem(response);
    }
    return response.body();
  }

  // ------------------------------------------------------------------ finality events

  /**
   * One Server-Sent Event of {@code GET /v1/events}: its {@code id} ({@code height:offset} for a
   * finality event), its name ({@code finality}) and its data (a JSON object).
   */
  public record Event(String id, String name, String data) {}

  /** Hears the events of {@link #events} and what happens to the connection. */
  public interface EventListener {
    void event(Event event);

    /** The stream is open; {@code lastEventId} was sent as {@code Last-Event-ID} (or null). */
    default void connected(@Nullable String lastEventId) {}

    /** The stream ended or could not be opened; the next attempt follows in {@code retryIn}. */
    default void dropped(String why, Duration retryIn) {}
  }

  private static final Duration RECONNECT_FIRST = Duration.ofMillis(500);
  private static final Duration RECONNECT_MAX = Duration.ofSeconds(10);

  /**
   * Reads the caller's finality events ({@code GET /v1/events}, each connection with a fresh access
   * token) for {@code duration} (null: until interrupted). With {@code reconnect}, a stream that
   * ends or drops, or a gateway that cannot be reached or answers 5xx, is tried again after 0.5 s
   * doubling to 10 s (or the server's {@code retry}), sending {@code Last-Event-ID} with the id of
   * the last event seen so that a gateway that resumes sends what was missed; without it, the first
   * such failure ends the call ({@link TallyException.Kind#UNAVAILABLE}) and a stream the gateway
   * ends returns. A refusal (4xx: a bad token, not a participant) always ends it.
   *
   * @param lastEventId the id to resume after on the first connection, or null for new events only
   * @return the id of the last event seen (or {@code lastEventId})
   */
  public @Nullable String events(
      @Nullable String lastEventId,
      boolean reconnect,
      @Nullable Duration duration,
      EventListener listener)
      throws TallyException {
    long deadline =
        duration == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, duration.toNanos());
    String last = lastEventId;
    Duration backoff = RECONNECT_FIRST;
    while (true) {
      HttpRequest.Builder request =
          authorized("/v1/events").setHeader("Accept", "text/event-stream");
      if (last != null) {
        request.setHeader("Last-Event-ID", last);
      }
      String sent = last;
      ServerSentEvents stream =
          new ServerSentEvents(last, listener::event, () -> listener.connected(sent));
      CompletableFuture<HttpResponse<byte[]>> response =
          http.sendAsync(
              request.build(),
              info ->
                  info.statusCode() == 200
                      ? HttpResponse.BodySubscribers.fromSubscriber(stream, s -> new byte[0])
                      : HttpResponse.BodySubscribers.ofByteArray());
      String why;
      try {
        long left = deadline - System.nanoTime();
        CompletableFuture.anyOf(response, stream.ended())
            .get(Math.max(0, left), TimeUnit.NANOSECONDS);
        why = ended(response, stream, reconnect);
      } catch (TimeoutException e) {
        stream.cancel();
        response.cancel(true);
        return stream.lastEventId();
      } catch (ExecutionException e) {
        why = ended(response, stream, reconnect);
      } catch (InterruptedException e) {
        stream.cancel();
        response.cancel(true);
        Thread.currentThread().interrupt();
        return stream.lastEventId();
      }
      stream.cancel();
      last = stream.lastEventId();
      if (stream.subscribed().isDone()) {
        backoff = RECONNECT_FIRST; // the last attempt connected: start the backoff again
      }
      if (!reconnect) {
        return last;
      }
      Duration retryIn = stream.retryMs() >= 0 ? Duration.ofMillis(stream.retryMs()) : backoff;
      retryIn = retryIn.compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : retryIn;
      listener.dropped(why, retryIn);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return last;
      }
      try {
        Thread.sleep(Math.max(1, Math.min(retryIn.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return last;
      }
      Duration next = backoff.multipliedBy(2);
      backoff = next.compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : next;
    }
  }

  /**
   * Why one connection of {@link #events} ended; throws what ends the call: a refusal always, any
   * failure without {@code reconnect}.
   */
  private static String ended(
      CompletableFuture<HttpResponse<byte[]>> response, ServerSentEvents stream, boolean reconnect)
      throws TallyException {
    if (response.isCompletedExceptionally()) {
      Throwable cause = response.handle((r, t) -> t).join();
      while (cause instanceof java.util.concurrent.CompletionException
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      String why =
          cause instanceof IOException io
              ? why(io)
              : cause == null ? "the request failed" : String.valueOf(cause.getMessage());
      if (!reconnect && !stream.subscribed().isDone()) {
        throw new TallyException(
            TallyException.Kind.UNAVAILABLE, "cannot reach the events: " + why, cause);
      }
      if (!reconnect) {
        throw new TallyException(
            TallyException.Kind.UNAVAILABLE, "the event stream dropped: " + why, cause);
      }
      return stream.ended().getNow("the connection dropped: " + why);
    }
    if (response.isDone()) {
      HttpResponse<byte[]> answer = response.join();
      if (answer.statusCode() != 200) {
        TallyException problem = problem(answer);
        if (problem.kind() == TallyException.Kind.REFUSED || !reconnect) {
          throw problem;
        }
        return String.valueOf(problem.getMessage());
      }
    }
    String why = stream.ended().getNow("the gateway ended the stream");
    if (!reconnect && !stream.completed()) {
      throw new TallyException(
          TallyException.Kind.UNAVAILABLE, "the event stream ended: " + why, null);
    }
    return why;
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
          TallyException.Kind.UNAVAILABLE, "cannot reach " + built.uri() + ": " + why(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TallyException(TallyException.Kind.DEADLINE, "interrupted", e);
    }
  }

  /** Why a request failed, in words rather than a Java class name. */
  private static String why(IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException) {
        return "connection refused (is the service running there?)";
      }
      if (cause instanceof java.net.UnknownHostException) {
        return "unknown host " + cause.getMessage();
      }
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !message.isBlank()) {
        return message;
      }
    }
    return "the connection failed";
  }

  /**
   * One wait: polls back off from 50 ms to 500 ms; the progress listener hears of it about once a
   * second; the deadline ends it with {@link TallyException.Kind#DEADLINE}.
   */
  private final class Waiting {
    private final long started = System.nanoTime();
    private final long deadline;
    private final Duration timeout;
    private Duration pause = POLL_FIRST;
    private long reportedSeconds;

    Waiting(Duration timeout) {
      this.timeout = timeout;
      this.deadline = started + timeout.toNanos();
    }

    /** Sleeps before the next poll, or throws DEADLINE with {@code late} if it would be late. */
    void pause(String what, String late) throws TallyException {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TallyException(TallyException.Kind.DEADLINE, 0, "", late);
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      if (waited.toSeconds() > reportedSeconds) {
        reportedSeconds = waited.toSeconds();
        progress.waiting(what, waited, timeout);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(pause.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TallyException(TallyException.Kind.DEADLINE, "interrupted", e);
      }
      Duration next = pause.multipliedBy(2);
      pause = next.compareTo(POLL_MAX) > 0 ? POLL_MAX : next;
    }
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
