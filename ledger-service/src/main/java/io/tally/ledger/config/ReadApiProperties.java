package io.tally.ledger.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the ledger's read API ({@code tally.ledger.read-api.*}, ADR 0014).
 *
 * @param clients the address ranges (CIDR: {@code 10.1.0.0/16}, {@code ::1/128}) of the clients the
 *     read API answers; everyone else gets 403 {@code internal-only}. Loopback only by default: the
 *     read API shows every participant's balances and instructions, so a deployment names its
 *     gateways' addresses here, never the world.
 */
@ConfigurationProperties("tally.ledger.read-api")
public record ReadApiProperties(@DefaultValue({"127.0.0.0/8", "::1/128"}) List<String> clients) {}
