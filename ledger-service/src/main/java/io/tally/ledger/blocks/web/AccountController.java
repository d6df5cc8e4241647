package io.tally.ledger.blocks.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.ledger.blocks.infrastructure.persistence.AccountEntity;
import io.tally.ledger.blocks.infrastructure.persistence.AccountJpaRepository;
import io.tally.ledger.blocks.infrastructure.persistence.PostingEntity;
import io.tally.ledger.blocks.infrastructure.persistence.PostingJpaRepository;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts with their balances as of the last committed block, and each account's movements. The
 * read API is internal: it answers only the clients {@code tally.ledger.read-api.clients} names
 * (loopback by default, ADR 0014); participants read their own accounts through the gateway.
 */
@Tag(name = LedgerOpenApi.ACCOUNTS)
@ProblemTypes(LedgerOpenApi.INTERNAL_ONLY)
@RestController
@RequestMapping("/v1/accounts")
class AccountController {

  /**
   * Balances in the asset's minor unit, each a decimal string (ADR 0005, ADR 0015): a JSON number
   * above 2^53 loses units in JavaScript.
   */
  record AccountResponse(
      String id,
      String owner,
      String asset,
      boolean issuance,
      boolean overdraft,
      String postedDebits,
      String postedCredits,
      String pendingDebits,
      String pendingCredits,
      String postedBalance,
      String available,
      long height) {

    static AccountResponse of(AccountEntity a) {
      return new AccountResponse(
          a.id(),
          a.owner(),
          a.asset(),
          a.issuance(),
          a.overdraft(),
          Long.toString(a.postedDebits()),
          Long.toString(a.postedCredits()),
          Long.toString(a.pendingDebits()),
          Long.toString(a.pendingCredits()),
          Long.toString(a.postedCredits() - a.postedDebits()),
          Long.toString(a.postedCredits() - a.postedDebits() - a.pendingDebits()),
          a.height());
    }
  }

  /** A page of accounts by id; {@code next} is the cursor for the following page, or null. */
  record AccountPage(List<AccountResponse> accounts, @Nullable String next) {}

  /** One leg's movement; {@code amount} in minor units, a decimal string. */
  record PostingResponse(
      long id,
      long height,
      long offset,
      @Nullable String instructionId,
      String movement,
      @Nullable String reservation,
      String debit,
      String credit,
      String asset,
      String amount) {

    static PostingResponse of(PostingEntity p) {
      return new PostingResponse(
          p.id(),
          p.height(),
          p.logOffset(),
          p.instructionId(),
          p.movement(),
          p.reservation(),
          p.debit(),
          p.credit(),
          p.asset(),
          Long.toString(p.amount()));
    }
  }

  /** A page of an account's movements, oldest first; {@code next} is the cursor, or null. */
  record PostingPage(List<PostingResponse> postings, @Nullable Long next) {}

  private final AccountJpaRepository accounts;
  private final PostingJpaRepository postings;

  AccountController(AccountJpaRepository accounts, PostingJpaRepository postings) {
    this.accounts = accounts;
    this.postings = postings;
  }

  @Operation(summary = "Accounts by id with their balances (`after`, `limit` 1 to 100)")
  @ApiResponse(responseCode = "200", description = "a page; `next` is the cursor, or null")
  @GetMapping
  AccountPage accounts(
      @RequestParam(defaultValue = "") String after, @RequestParam(defaultValue = "20") int limit) {
    RequestParameters.cursor("after", after, Identifiers.ACCOUNT_ID);
    List<AccountResponse> page =
        accounts.findByIdGreaterThanOrderById(after, Limit.of(Limits.page(limit))).stream()
            .map(AccountResponse::of)
            .toList();
    String next = page.size() < limit ? null : page.get(page.size() - 1).id();
    return new AccountPage(page, next);
  }

  @Operation(summary = "One account with its balances as of the last block that changed it")
  @ApiResponse(responseCode = "200", description = "the account; amounts are decimal strings")
  @ProblemTypes("not-found")
  @GetMapping("/{id}")
  AccountResponse account(@PathVariable String id) {
    RequestParameters.id("id", id, Identifiers.ACCOUNT_ID);
    return accounts
        .findById(id)
        .map(AccountResponse::of)
        .orElseThrow(() -> new NotFoundException("account " + id + " is not in a committed block"));
  }

  @Operation(summary = "An account's movements, oldest first (`after`, `limit` 1 to 100)")
  @ApiResponse(responseCode = "200", description = "a page; `next` is the cursor, or null")
  @ProblemTypes("not-found")
  @GetMapping("/{id}/postings")
  PostingPage history(
      @PathVariable String id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "20") int limit) {
    RequestParameters.id("id", id, Identifiers.ACCOUNT_ID);
    Limits.nonNegative("after", after);
    Limits.page(limit);
    if (!accounts.existsById(id)) {
      throw new NotFoundException("account " + id + " is not in a committed block");
    }
    List<PostingResponse> page =
        postings
            .history(id, Limits.nonNegative("after", after), Limit.of(Limits.page(limit)))
            .stream()
            .map(PostingResponse::of)
            .toList();
    Long next = page.size() < limit ? null : page.get(page.size() - 1).id();
    return new PostingPage(page, next);
  }
}
