package io.tally.identity.directory.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.ParticipantView;
import io.tally.identity.governance.domain.Refusal;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.Jwks;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Participants as of the last finalized block ({@code asOfHeight}): a participant appears only once
 * its registration is certified, and a revoked key disappears from its JWKS only then.
 */
@Tag(name = "directory")
@RestController
@RequestMapping("/v1/participants")
class DirectoryController {

  /** The participant ids, sorted. */
  record ParticipantList(long asOfHeight, List<String> participants) {}

  /** One participant; {@code keys} is its JWKS (current keys only). */
  record ParticipantResponse(
      String id,
      String name,
      List<String> roles,
      boolean suspended,
      List<String> currentKeyIds,
      List<String> revokedKeyIds,
      long asOfHeight) {}

  private final CertifiedReplica directory;

  DirectoryController(CertifiedReplica directory) {
    this.directory = directory;
  }

  @Operation(summary = "The participant ids, as of the last certified block")
  @ApiResponse(responseCode = "200", description = "the ids, sorted, and `asOfHeight`")
  @ProblemTypes("not-certified")
  @GetMapping
  ParticipantList participants() {
    CertifiedReplica.AsOf<List<String>> ids = directory.asOf(directory::participantIds);
    return new ParticipantList(ids.height(), ids.value());
  }

  @Operation(summary = "One participant: roles, status and key ids, as certified")
  @ApiResponse(responseCode = "200", description = "the participant")
  @ProblemTypes({"unknown-participant", "not-certified"})
  @GetMapping("/{id}")
  ParticipantResponse participant(@PathVariable String id) throws Refusal {
    RequestParameters.id("id", id, Member.ID_PATTERN);
    CertifiedReplica.AsOf<Optional<ParticipantView>> found =
        directory.asOf(() -> directory.participant(id));
    ParticipantView view = found.value().orElseThrow(() -> unknown(id));
    long height = found.height();
    return new ParticipantResponse(
        view.id(),
        view.name(),
        view.roles(),
        view.suspended(),
        view.currentKeys().stream().map(k -> k.keyId()).toList(),
        view.revokedKeyIds(),
        height);
  }

  /** The participant's current public keys as a JWK Set (RFC 7517). */
  @Operation(summary = "A participant's current keys as a JWKS (RFC 7517)")
  @ApiResponse(
      responseCode = "200",
      description = "a JWK Set of the current (unrevoked) keys, each with its kid",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @ProblemTypes("unknown-participant")
  @GetMapping(value = "/{id}/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
  String jwks(@PathVariable String id) throws Refusal {
    RequestParameters.id("id", id, Member.ID_PATTERN);
    return new Jwks(find(id).currentKeys().stream().map(Jwk::new).toList()).toJson();
  }

  private ParticipantView find(String id) throws Refusal {
    return directory.participant(id).orElseThrow(() -> unknown(id));
  }

  private static Refusal unknown(String id) {
    return new Refusal(
        Refusal.Reason.UNKNOWN_PARTICIPANT,
        "no finalized block registers participant " + id + " (yet)");
  }
}
