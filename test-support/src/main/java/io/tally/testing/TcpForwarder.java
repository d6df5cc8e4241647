package io.tally.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Accepts TCP connections on one loopback address and port and relays each, byte for byte, to
 * another: a server that can listen only where its own tools expect (the embedded PostgreSQL checks
 * itself on {@code localhost}) becomes reachable where a manifest says it is.
 */
public final class TcpForwarder implements AutoCloseable {

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool(TcpForwarder::daemon);
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private TcpForwarder(ServerSocket server) {
    this.server = server;
  }

  /** Listens on {@code host:port} (a loopback address) and relays to {@code target}. */
  public static TcpForwarder start(String host, int port, InetSocketAddress target) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (IOException e) {
      throw new UncheckedIOException("not an address: " + host, e);
    }
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(host + " is not a loopback address");
    }
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(address, port));
      TcpForwarder forwarder = new TcpForwarder(server);
      forwarder.threads.execute(() -> forwarder.accept(target));
      return forwarder;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  private void accept(InetSocketAddress target) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          client.close();
          continue;
        }
        open.add(client);
        open.add(upstream);
        threads.execute(() -> relay(client, upstream));
        threads.execute(() -> relay(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void relay(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // the other side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    threads.shutdownNow();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "tcp-forwarder");
    thread.setDaemon(true);
    return thread;
  }
}
