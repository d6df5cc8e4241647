package io.tally.ledger.blocks.web;

import io.tally.service.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The read API ({@code /v1/...}) answers only the clients in {@code tally.ledger.read-api.clients}
 * (loopback by default); any other gets 403 {@code internal-only}. It shows every participant's
 * balances, postings and instructions, so it is for the network's own services (the gateway builds
 * receipts and history from it); participants read through the gateway with access tokens (ADR
 * 0010, ADR 0014). Health and metrics stay open to probes. The address is the TCP peer's: no
 * forwarded header is trusted ({@code server.forward-headers-strategy: none} in {@code
 * ledger-service.yml}, also on Kubernetes, where Boot would otherwise trust them).
 */
final class InternalClientsOnly extends OncePerRequestFilter {

  private final List<AddressRange> clients;

  InternalClientsOnly(List<String> clients) {
    this.clients = clients.stream().map(AddressRange::parse).toList();
  }

  /**
   * Only the probes' and metrics' paths pass without a check. The servlet path is the one the
   * container routes by (decoded, normalized, without {@code ;parameters}), so {@code /v1;x/...} or
   * {@code /%76%31/...} cannot slip past as a path the filter does not know.
   */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.equals("/actuator/health")
        || path.startsWith("/actuator/health/")
        || path.equals("/actuator/prometheus");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (internal(request.getRemoteAddr())) {
      chain.doFilter(request, response);
      return;
    }
    Problems.write(
        response,
        HttpServletResponse.SC_FORBIDDEN,
        "INTERNAL_ONLY",
        "The ledger's read API is internal: it answers the network's own services only."
            + " Participants read their accounts through the gateway.");
  }

  private boolean internal(String remote) {
    if (!AddressRange.LITERAL.matcher(remote).matches()) {
      return false; // only a literal peer address is checked: never a name to look up
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(remote);
    } catch (IOException e) {
      return false;
    }
    return clients.stream().anyMatch(range -> range.contains(address));
  }
}
