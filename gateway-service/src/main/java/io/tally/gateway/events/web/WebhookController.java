package io.tally.gateway.events.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.events.application.FinalityFeed;
import io.tally.gateway.events.application.Webhook;
import io.tally.gateway.events.application.WebhookDelivery;
import io.tally.gateway.events.application.WebhookFailure;
import io.tally.gateway.events.application.WebhookStore;
import io.tally.gateway.events.application.Webhooks;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.Jwks;
import io.tally.service.web.InvalidRequest;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A participant's webhooks ({@code /v1/webhooks}, authenticated like every read): register an
 * endpoint, list, remove, list failed deliveries and replay one; and the gateways' JWKS, with which
 * a receiver verifies each delivery's signature.
 */
@Tag(name = "events")
@RestController
@RequestMapping("/v1/webhooks")
class WebhookController {

  static final Pattern WEBHOOK_ID = Pattern.compile("wh-[0-9a-f]{24}");

  /** A registration's body. */
  record Registration(@Nullable String url) {}

  /** A webhook, with the height it delivered up to. */
  record WebhookResponse(
      String id, String participant, String url, long createdAt, long after, long delivered) {}

  record WebhookList(List<WebhookResponse> webhooks) {}

  record FailureList(List<WebhookFailure> failures) {}

  record Replayed(String webhook, long height, int status) {}

  private final Webhooks webhooks;
  private final String jwks;

  WebhookController(Webhooks webhooks, Genesis genesis) {
    this.webhooks = webhooks;
    this.jwks =
        new Jwks(
                genesis.instances().members().stream()
                    .filter(m -> genesis.role(m.id()).equals(Optional.of(Role.GATEWAY)))
                    .map(m -> new Jwk(m.key()))
                    .toList())
            .toJson();
  }

  @Operation(summary = "Register a webhook endpoint")
  @ApiResponse(
      responseCode = "201",
      description = "the webhook; deliveries start after the current height")
  @ProblemTypes({"webhook-refused", "webhook-store-unavailable"})
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WebhookResponse> register(
      AccessControl.Caller caller, @RequestBody Registration registration)
      throws Webhooks.Refused, WebhookStore.Unavailable {
    if (registration.url() == null) {
      throw new InvalidRequest("the body is {\"url\": \"https://...\"}: url is missing");
    }
    Webhook webhook = webhooks.register(caller, registration.url());
    return ResponseEntity.created(URI.create("/v1/webhooks/" + webhook.id()))
        .body(response(webhook));
  }

  @Operation(summary = "The caller's webhooks")
  @ApiResponse(responseCode = "200", description = "the webhooks")
  @GetMapping
  WebhookList list(AccessControl.Caller caller) {
    return new WebhookList(webhooks.mine(caller).stream().map(this::response).toList());
  }

  @Operation(summary = "One of the caller's webhooks")
  @ApiResponse(responseCode = "200", description = "the webhook")
  @ProblemTypes("unknown-webhook")
  @GetMapping("/{id}")
  WebhookResponse webhook(AccessControl.Caller caller, @PathVariable String id)
      throws Webhooks.NotFound {
    return response(webhooks.webhook(caller, RequestParameters.id("id", id, WEBHOOK_ID)));
  }

  @Operation(summary = "Remove a webhook")
  @ApiResponse(responseCode = "204", description = "removed")
  @ProblemTypes({"unknown-webhook", "webhook-store-unavailable"})
  @DeleteMapping("/{id}")
  ResponseEntity<Void> remove(AccessControl.Caller caller, @PathVariable String id)
      throws Webhooks.NotFound, WebhookStore.Unavailable {
    webhooks.remove(caller, RequestParameters.id("id", id, WEBHOOK_ID));
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "A webhook's failed deliveries")
  @ApiResponse(responseCode = "200", description = "the failures, by height")
  @ProblemTypes("unknown-webhook")
  @GetMapping("/{id}/failures")
  FailureList failures(AccessControl.Caller caller, @PathVariable String id)
      throws Webhooks.NotFound {
    return new FailureList(webhooks.failures(caller, RequestParameters.id("id", id, WEBHOOK_ID)));
  }

  /** Delivers a failed delivery again, now; it leaves the list once the endpoint took it. */
  @Operation(summary = "Deliver a failed delivery again, now")
  @ApiResponse(responseCode = "200", description = "the endpoint's status for the delivery")
  @ProblemTypes({
    "unknown-webhook",
    "events-expired",
    "webhook-undelivered",
    "webhook-store-unavailable"
  })
  @PostMapping("/{id}/failures/{height}/replay")
  Replayed replay(AccessControl.Caller caller, @PathVariable String id, @PathVariable long height)
      throws Webhooks.NotFound,
          FinalityFeed.Expired,
          WebhookDelivery.Undelivered,
          WebhookStore.Unavailable,
          InterruptedException {
    RequestParameters.id("id", id, WEBHOOK_ID);
    RequestParameters.nonNegative("height", height);
    return new Replayed(id, height, webhooks.replay(caller, id, height));
  }

  /** The gateway instances' public keys (RFC 7517), by {@code kid}: deliveries verify with them. */
  @Operation(summary = "The gateway instances' keys (RFC 7517) that sign deliveries")
  @ApiResponse(responseCode = "200", description = "a JWK Set, each key with its kid")
  @GetMapping(value = "/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
  String jwks() {
    return jwks;
  }

  private WebhookResponse response(Webhook webhook) {
    return new WebhookResponse(
        webhook.id(),
        webhook.participant(),
        webhook.url().toString(),
        webhook.createdAt(),
        webhook.after(),
        webhooks.delivered(webhook));
  }
}
