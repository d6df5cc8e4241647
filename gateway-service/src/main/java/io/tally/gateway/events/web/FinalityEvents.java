package io.tally.gateway.events.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.events.application.Finality;
import io.tally.gateway.events.application.FinalityFeed;
import io.tally.gateway.events.application.Position;
import io.tally.service.web.InvalidRequest;
import io.tally.service.web.openapi.ProblemTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Finality events as Server-Sent Events ({@code GET /v1/events}): one {@code finality} event per
 * instruction in a newly certified block that the caller signed or that moved one of the caller's
 * accounts (every instruction for an auditor), with the event id {@code height:offset}. A client
 * that lost its connection sends the last id it received as {@code Last-Event-ID} and gets every
 * event after it that this gateway still holds (410 {@code events-expired} when it holds no longer
 * all of them). A rejected instruction moved no account: its signers hear of it; a record whose
 * signatures did not verify has no signer to tell.
 */
@Tag(name = "events")
@RestController
class FinalityEvents {

  /** One settled instruction, as the caller sees it. */
  record Event(String instructionId, String code, long height, long offset, List<String> accounts) {

    static Event of(Finality finality) {
      return new Event(
          finality.instructionId(),
          finality.code(),
          finality.height(),
          finality.offset(),
          finality.accounts());
    }
  }

  private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

  private final FinalityFeed feed;

  FinalityEvents(FinalityFeed feed) {
    this.feed = feed;
  }

  /**
   * Opens the stream after {@code Last-Event-ID} (or from now on); it ends after 30 minutes
   * (reconnect with a fresh token and the last event id).
   */
  @Operation(
      summary = "Finality events as server-sent events",
      description =
          "`finality` events `{instructionId, code, height, offset, accounts}` with id"
              + " `height:offset`, for instructions the caller signed or that moved its accounts"
              + " (all for an auditor); resume with `Last-Event-ID`; the stream ends after 30"
              + " minutes.")
  @ApiResponse(
      responseCode = "200",
      description = "the event stream: `event: finality`, `id: height:offset`, `data:` the event",
      content = @Content(mediaType = "text/event-stream", schema = @Schema(type = "string")))
  @ProblemTypes({"events-expired", "not-certified"})
  @GetMapping(path = "/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      AccessControl.Caller caller,
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId)
      throws FinalityFeed.Expired, IOException {
    Position after = lastEventId == null || lastEventId.isBlank() ? null : position(lastEventId);
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    Runnable cancel = feed.subscribe(caller, after, new Sink(emitter));
    emitter.onCompletion(cancel);
    emitter.onTimeout(cancel);
    emitter.onError(error -> cancel.run());
    // A first comment line flushes the headers: the client knows the stream is open.
    emitter.send(SseEmitter.event().comment("finality events of " + caller.participant()));
    return emitter;
  }

  private static Position position(String lastEventId) {
    try {
      return Position.parse(lastEventId.strip());
    } catch (Position.Malformed e) {
      throw new InvalidRequest("Last-Event-ID: " + e.getMessage());
    }
  }

  /** The feed's events written to one open stream. */
  private record Sink(SseEmitter emitter) implements FinalityFeed.Sink {

    @Override
    public void send(Finality event) throws IOException {
      try {
        emitter.send(
            SseEmitter.event()
                .id(event.position().toString())
                .name("finality")
                .data(Event.of(event), MediaType.APPLICATION_JSON));
      } catch (IllegalStateException e) {
        throw new IOException("the stream is closed", e); // completed or timed out
      }
    }

    @Override
    public void close() {
      emitter.complete();
    }
  }
}
