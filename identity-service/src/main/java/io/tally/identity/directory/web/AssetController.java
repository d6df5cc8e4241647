package io.tally.identity.directory.web;

import io.tally.engine.Asset;
import io.tally.service.CertifiedReplica;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The registered assets as of the last finalized block. */
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
