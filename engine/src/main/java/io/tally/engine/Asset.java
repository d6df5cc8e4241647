package io.tally.engine;

import java.io.DataOutput;
import java.io.IOException;

/** A registered asset: its code, its scale (decimal places of the minor unit) and its issuer. */
public record Asset(String code, int scale, String issuer) {

  void write(DataOutput out) throws IOException {
    out.writeUTF(code);
    out.writeInt(scale);
    out.writeUTF(issuer);
  }
}
