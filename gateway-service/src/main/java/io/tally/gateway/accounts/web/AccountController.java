package io.tally.gateway.accounts.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.AccountView;
import io.tally.engine.Identifiers;
import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.config.GatewayProperties;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts, balances and history for the caller's own accounts (every account for an auditor),
 * authenticated by an access token in {@code Authorization: Bearer}. Balances come from this
 * gateway's certified replica (as of {@code height}); history comes from a ledger replica.
 */
@Tag(name = "accounts")
@ProblemTypes("not-certified")
@RestController
@RequestMapping("/v1/accounts")
class AccountController {

  /**
   * An account's balances in minor units, as of certified height {@code height}. Amounts are
   * decimal strings (ADR 0005, ADR 0015): a JSON number above 2^53 loses units in JavaScript.
   */
  record AccountResponse(
      String id,
      String owner,
      String asset,
      boolean issuance,
      boolean overdraft,
      @Schema(
              type = "string",
              format = "int64",
              pattern = Amounts.PATTERN,
              example = "9007199254740993",
              description = "posted credits minus posted debits, minor units, decimal string")
          String postedBalance,
      @Schema(
              type = "string",
              format = "int64",
              pattern = Amounts.PATTERN,
              description = "posted balance minus pending debits, minor units, decimal string")
          String available,
      @Schema(
              type = "string",
              format = "int64",
              pattern = Amounts.PATTERN,
              description = "reserved debits not yet committed, minor units, decimal string")
          String pendingDebits,
      @Schema(
              type = "string",
              format = "int64",
              pattern = Amounts.PATTERN,
              description = "reserved credits not yet committed, minor units, decimal string")
          String pendingCredits,
      long height) {

    static AccountResponse of(AccountView a, long height) {
      return new AccountResponse(
          a.id(),
          a.owner(),
          a.asset(),
          a.issuance(),
          a.overdraft(),
          Amounts.text(a.postedBalance()),
          Amounts.text(a.postedBalance() - a.pendingDebits()),
          Amounts.text(a.pendingDebits()),
          Amounts.text(a.pendingCredits()),
          height);
    }
  }

  /** A page of accounts by id; {@code next} is the cursor for the following page, or null. */
  record AccountPage(List<AccountResponse> accounts, @Nullable String next) {}

  /** No certified block opened the account. */
  static final class NotVisible extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotVisible(String detail) {
      super(detail);
    }
  }

  /** The account is another participant's. */
  static final class Forbidden extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Forbidden(String detail) {
      super(detail);
    }
  }

  /** The ledger did not answer a history request. */
  static final class HistoryUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HistoryUnavailable(String detail, @Nullable Throwable cause) {
      super(detail, cause);
    }
  }

  static final int PAGE_MAX = 100;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final CertifiedReplica replica;
  private final URI ledger;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  AccountController(CertifiedReplica replica, GatewayProperties properties) {
    this.replica = replica;
    this.ledger = properties.ledgerUrl();
  }

  /** The caller's accounts by id (all accounts for an auditor), {@code limit} at most 100. */
  @Operation(summary = "The caller's accounts by id (every account for an auditor)")
  @ApiResponse(
      responseCode = "200",
      description = "a page with balances as of `height`; `next` is the cursor")
  @GetMapping
  AccountPage accounts(
      AccessControl.Caller caller,
      @RequestParam(defaultValue = "") String after,
      @RequestParam(defaultValue = "20") int limit) {
    RequestParameters.cursor("after", after, Identifiers.ACCOUNT_ID);
    RequestParameters.limit("limit", limit, PAGE_MAX);
    CertifiedReplica.AsOf<List<AccountView>> accounts =
        replica.asOf(
            () -> replica.accounts(caller.auditor() ? null : caller.participant(), after, limit));
    List<AccountResponse> page =
        accounts.value().stream()
            .map(account -> AccountResponse.of(account, accounts.height()))
            .toList();
    return new AccountPage(page, page.size() < limit ? null : page.get(page.size() - 1).id());
  }

  @Operation(summary = "One account with its balances, as certified")
  @ApiResponse(responseCode = "200", description = "the account; amounts are decimal strings")
  @ProblemTypes({"forbidden", "unknown-account"})
  @GetMapping("/{id}")
  AccountResponse account(AccessControl.Caller caller, @PathVariable String id) {
    RequestParameters.id("id", id, Identifiers.ACCOUNT_ID);
    CertifiedReplica.AsOf<AccountView> account = replica.asOf(() -> visible(caller, id));
    return AccountResponse.of(account.value(), account.height());
  }

  /** The account's movements, oldest first, from a ledger replica (cursor {@code after}). */
  @Operation(summary = "The account's movements, oldest first, from a ledger replica")
  @ApiResponse(responseCode = "200", description = "a page of postings; `next` is the cursor")
  @ProblemTypes({"forbidden", "unknown-account", "history-unavailable"})
  @GetMapping(path = "/{id}/postings", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> history(
      AccessControl.Caller caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "20") int limit) {
    RequestParameters.id("id", id, Identifiers.ACCOUNT_ID);
    RequestParameters.nonNegative("after", after);
    RequestParameters.limit("limit", limit, PAGE_MAX);
    visible(caller, id);
    URI uri =
        ledger.resolve(
            "/v1/accounts/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + "/postings?after="
                + after
                + "&limit="
                + limit);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new HistoryUnavailable(
            "the ledger has no history of " + id + " yet (" + response.statusCode() + ")", null);
      }
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response.body());
    } catch (IOException e) {
      throw new HistoryUnavailable("the ledger is not reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryUnavailable("interrupted while asking the ledger", e);
    }
  }

  /** The account, if it exists (404) and the caller may read it (403). */
  private AccountView visible(AccessControl.Caller caller, String id) {
    AccountView account =
        replica
            .account(id)
            .orElseThrow(() -> new NotVisible("no account " + id + " in a certified block"));
    if (!caller.mayRead(account)) {
      throw new Forbidden(caller.participant() + " may read only its own accounts");
    }
    return account;
  }
}
