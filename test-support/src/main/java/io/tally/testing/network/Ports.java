package io.tally.testing.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the services, each handed out once: the system may offer a port again as
 * soon as the probing socket closed, before the service it was meant for has bound it, and two
 * services on one port means one fails to start while the other answers its health checks.
 */
final class Ports {

  /** Where candidate ports come from. */
  interface Source {
    int next() throws IOException;
  }

  private static final int ATTEMPTS_MAX = 100;

  private final Source source;
  private final Set<Integer> handedOut = new HashSet<>();

  Ports(Source source) {
    this.source = source;
  }

  /** Ports the system reports free on the loopback interface. */
  static Ports system() {
    return new Ports(
        () -> {
          try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
          }
        });
  }

  /** A port not handed out before by this instance. */
  synchronized int next() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      int port = source.next();
      if (handedOut.add(port)) {
        return port;
      }
    }
    throw new IOException("no new free port after " + ATTEMPTS_MAX + " attempts");
  }
}
