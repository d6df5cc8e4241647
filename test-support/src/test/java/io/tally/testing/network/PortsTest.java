package io.tally.testing.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void aPortTheSystemOffersAgainBeforeItsServiceBoundIsNotHandedOutTwice() throws Exception {
    // The system may offer a port again as soon as the probing socket closed, before the service
    // it was meant for has bound it.
    ArrayDeque<Integer> offered = new ArrayDeque<>(List.of(45589, 45589, 45589, 37071));
    Ports ports = new Ports(offered::poll);

    assertThat(ports.next()).isEqualTo(45589);
    assertThat(ports.next()).isEqualTo(37071);
  }

  @Test
  void portsFromTheSystemAreDistinctLoopbackPorts() throws Exception {
    Ports ports = Ports.system();
    assertThat(List.of(ports.next(), ports.next(), ports.next())).doesNotHaveDuplicates();
  }
}
