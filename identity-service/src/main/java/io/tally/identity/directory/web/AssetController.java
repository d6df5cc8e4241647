package io.tally.identity.directory.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Asset;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.openapi.ProblemTypes;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The registered assets as of the last finalized block. */
@Tag(name = "directory")
@RestController
@RequestMapping("/v1/assets")
class AssetController {

  /** One asset: its code, scale (decimal places of the minor unit) and issuer. */
  record AssetResponse(String code, int scale, String issuer) {}

  /** All assets, sorted by code. */
  record AssetList(long asOfHeight, List<AssetResponse> assets) {}

  private final CertifiedReplica directory;

  AssetController(CertifiedReplica directory) {
    this.directory = directory;
  }

  @Operation(summary = "The registered assets, as of the last certified block")
  @ApiResponse(responseCode = "200", description = "the assets by code, and `asOfHeight`")
  @ProblemTypes("not-certified")
  @GetMapping
  AssetList assets() {
    CertifiedReplica.AsOf<List<Asset>> assets = directory.asOf(directory::assets);
    return new AssetList(
        assets.height(),
        assets.value().stream()
            .map((Asset a) -> new AssetResponse(a.code(), a.scale(), a.issuer()))
            .toList());
  }
}
