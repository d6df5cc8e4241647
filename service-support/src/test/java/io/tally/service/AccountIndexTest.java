package io.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.AccountView;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountIndexTest {

  private static AccountView account(String id, String owner) {
    return new AccountView(id, owner, "EUR", false, false, 0, 0, 0, 0);
  }

  private final AccountIndex index = new AccountIndex();

  @Test
  void anOwnersPagesFollowIdOrderFromTheCursor() {
    index.add(
        List.of(
            account("a-3", "bank-a"),
            account("b-1", "bank-b"),
            account("a-1", "bank-a"),
            account("a-2", "bank-a")));

    assertThat(index.page("bank-a", "", 2)).containsExactly("a-1", "a-2");
    assertThat(index.page("bank-a", "a-2", 2)).containsExactly("a-3");
    assertThat(index.page("bank-a", "a-3", 2)).isEmpty();
    assertThat(index.page("bank-b", "", 10)).containsExactly("b-1");
  }

  @Test
  void withoutAnOwnerEveryAccountIsListed() {
    index.add(List.of(account("b-1", "bank-b"), account("a-1", "bank-a")));

    assertThat(index.page(null, "", 10)).containsExactly("a-1", "b-1");
    assertThat(index.page(null, "a-1", 10)).containsExactly("b-1");
  }

  @Test
  void anAccountChangedAgainIsListedOnceAndAnUnknownOwnerHasNone() {
    index.add(List.of(account("a-1", "bank-a")));
    index.add(List.of(account("a-1", "bank-a"), account("a-0", "bank-a")));

    assertThat(index.page("bank-a", "", 10)).containsExactly("a-0", "a-1");
    assertThat(index.page("nobody", "", 10)).isEmpty();

    index.clear();
    assertThat(index.page(null, "", 10)).isEmpty();
  }
}
