package io.tally.ledger.blocks.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

  static InetAddress at(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void anIpv4RangeHoldsItsAddressesOnly() throws Exception {
    AddressRange loopback = AddressRange.parse("127.0.0.0/8");
    assertThat(loopback.contains(at("127.0.0.1"))).isTrue();
    assertThat(loopback.contains(at("127.255.0.9"))).isTrue();
    assertThat(loopback.contains(at("128.0.0.1"))).isFalse();
    assertThat(loopback.contains(at("::1"))).isFalse();
    AddressRange one = AddressRange.parse("10.1.2.3/32");
    assertThat(one.contains(at("10.1.2.3"))).isTrue();
    assertThat(one.contains(at("10.1.2.4"))).isFalse();
  }

  @Test
  void anIpv6RangeHoldsItsAddressesOnly() throws Exception {
    AddressRange loopback = AddressRange.parse("::1/128");
    assertThat(loopback.contains(at("::1"))).isTrue();
    assertThat(loopback.contains(at("::2"))).isFalse();
    assertThat(loopback.contains(at("127.0.0.1"))).isFalse();
  }

  @Test
  void aHostNameOrAMissingPrefixIsRefusedAtStart() {
    assertThatThrownBy(() -> AddressRange.parse("gateway.local/32"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.1/33"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
