package io.tally.identity.governance.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.identity.config.IdentityProperties;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.Jwks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The network's identity: the genesis file and the validators' keys. */
@Tag(name = IdentityOpenApi.NETWORK)
@RestController
@RequestMapping("/v1/network")
class NetworkController {

  private final byte[] genesisBytes;
  private final String validatorJwks;

  NetworkController(Genesis genesis, IdentityProperties properties) {
    try {
      this.genesisBytes = Files.readAllBytes(properties.genesisFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + properties.genesisFile(), e);
    }
    this.validatorJwks =
        new Jwks(genesis.validators().members().stream().map(m -> new Jwk(m.key())).toList())
            .toJson();
  }

  /** The genesis file (its SHA-256 is the network's identity). */
  @Operation(
      summary = "The genesis file",
      description = "The exact bytes; their SHA-256 is the network's identity.")
  @ApiResponse(
      responseCode = "200",
      description = "the genesis, as written",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @GetMapping("/genesis")
  ResponseEntity<byte[]> genesis() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(genesisBytes.clone());
  }

  /** The validators' public keys as a JWKS (RFC 7517), each with its {@code kid}. */
  @Operation(summary = "The validators' keys as a JWKS (RFC 7517)")
  @ApiResponse(
      responseCode = "200",
      description = "a JWK Set: each key with its kid (RFC 7638 thumbprint)",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @GetMapping(value = "/validators/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
  String validators() {
    return validatorJwks;
  }
}
