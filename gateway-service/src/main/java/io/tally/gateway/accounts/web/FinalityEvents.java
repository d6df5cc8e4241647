package io.tally.gateway.accounts.web;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.engine.Posting;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.service.CertifiedBlock;
import io.tally.service.CertifiedReplica;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Finality events as Server-Sent Events ({@code GET /v1/events}): one {@code finality} event per
 * instruction in a newly certified block that the caller signed or that moved one of the caller's
 * accounts (every instruction for an auditor), with the event id {@code height:offset}. A rejected
 * instruction moved no account: its signers hear of it; a record whose signatures did not verify
 * has no signer to tell.
 */
@RestController
class FinalityEvents {

  /** One settled instruction, as the caller sees it. */
  record Finality(
      String instructionId, String code, long height, long offset, List<String> accounts) {}

  private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

  private record Subscriber(AccessControl.Caller caller, SseEmitter emitter) {}

  private final AccessControl access;
  private final CertifiedReplica replica;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  FinalityEvents(AccessControl access, CertifiedReplica replica) {
    this.access = access;
    this.replica = replica;
    replica.onCertified(this::publish);
  }

  /** Opens the stream; it ends after 30 minutes (reconnect with a fresh token). */
  @GetMapping(path = "/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      @RequestHeader(name = "Authorization", required = false) @Nullable String authorization)
      throws AccessControl.Unauthenticated, IOException {
    AccessControl.Caller caller = access.authenticate(Optional.ofNullable(authorization));
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    Subscriber subscriber = new Subscriber(caller, emitter);
    subscribers.add(subscriber);
    emitter.onCompletion(() -> subscribers.remove(subscriber));
    emitter.onTimeout(() -> subscribers.remove(subscriber));
    emitter.onError(error -> subscribers.remove(subscriber));
    // A first comment line flushes the headers: the client knows the stream is open.
    emitter.send(SseEmitter.event().comment("finality events of " + caller.participant()));
    return emitter;
  }

  private void publish(CertifiedBlock certified) {
    if (subscribers.isEmpty()) {
      return;
    }
    BlockResult block = certified.result();
    // Accounts each settled instruction moved, in block order.
    Map<String, List<String>> moved = new LinkedHashMap<>();
    for (Posting posting : block.postings()) {
      if (posting.instructionId() != null) {
        List<String> accounts =
            moved.computeIfAbsent(posting.instructionId(), id -> new java.util.ArrayList<>());
        for (String account : List.of(posting.debit(), posting.credit())) {
          if (!accounts.contains(account)) {
            accounts.add(account);
          }
        }
      }
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (Outcome outcome : block.outcomes()) {
      if (outcome.instructionId() != null) {
        outcomes.putIfAbsent(outcome.instructionId(), outcome);
      }
    }
    for (Subscriber subscriber : subscribers) {
      for (Map.Entry<String, Outcome> entry : outcomes.entrySet()) {
        List<String> accounts = moved.getOrDefault(entry.getKey(), List.of());
        String participant = subscriber.caller().participant();
        boolean theirs =
            subscriber.caller().auditor()
                || certified.signedBy(entry.getKey()).contains(participant)
                || accounts.stream()
                    .map(replica::account)
                    .flatMap(Optional::stream)
                    .map(AccountView::owner)
                    .anyMatch(participant::equals);
        if (theirs) {
          Outcome outcome = entry.getValue();
          send(
              subscriber,
              block.header().height() + ":" + outcome.offset(),
              new Finality(
                  entry.getKey(),
                  outcome.code().name(),
                  block.header().height(),
                  outcome.offset(),
                  accounts));
        }
      }
    }
  }

  private void send(Subscriber subscriber, String id, Finality finality) {
    try {
      subscriber
          .emitter()
          .send(
              SseEmitter.event()
                  .id(id)
                  .name("finality")
                  .data(finality, MediaType.APPLICATION_JSON));
    } catch (IOException | IllegalStateException e) {
      subscribers.remove(subscriber); // the client went away
    }
  }
}
