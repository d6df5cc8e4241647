package io.tally.ledger.blocks.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An address range in CIDR notation ({@code 10.1.0.0/16}, {@code ::1/128}), IPv4 or IPv6. */
final class AddressRange {

  // Literal addresses only: a host name here would be resolved once, at start, by DNS.
  static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  static AddressRange parse(String cidr) {
    String[] parts = cidr.trim().split("/", -1);
    if (parts.length != 2 || !LITERAL.matcher(parts[0]).matches()) {
      throw new IllegalArgumentException(
          "tally.ledger.read-api.clients: \"" + cidr + "\" is not address/prefix");
    }
    byte[] address;
    try {
      address = InetAddress.getByName(parts[0]).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("tally.ledger.read-api.clients: \"" + cidr + "\"", e);
    }
    int bits = Integer.parseInt(parts[1]);
    if (bits < 0 || bits > address.length * 8) {
      throw new IllegalArgumentException(
          "tally.ledger.read-api.clients: prefix of \"" + cidr + "\" out of range");
    }
    return new AddressRange(address, bits);
  }

  private final byte[] network;
  private final int prefixBits;

  private AddressRange(byte[] network, int prefixBits) {
    this.network = network.clone();
    this.prefixBits = prefixBits;
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefixBits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
