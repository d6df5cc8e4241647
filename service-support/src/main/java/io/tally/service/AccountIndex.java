package io.tally.service;

import io.tally.engine.AccountView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Account ids in order, all and per owner, so that a page of accounts costs the page and a tree
 * lookup instead of sorting every account: a reader paging through its accounts must not stall the
 * replica that applies blocks. An account's owner never changes, and accounts are never removed.
 * Not thread-safe: the replica guards it with its lock.
 */
final class AccountIndex {

  private final NavigableSet<String> all = new TreeSet<>();
  private final Map<String, NavigableSet<String>> byOwner = new HashMap<>();

  /** Adds accounts (again, or for the first time). */
  void add(List<AccountView> accounts) {
    for (AccountView account : accounts) {
      if (all.add(account.id())) {
        byOwner.computeIfAbsent(account.owner(), owner -> new TreeSet<>()).add(account.id());
      }
    }
  }

  void clear() {
    all.clear();
    byOwner.clear();
  }

  /**
   * Up to {@code limit} account ids after {@code after} in id order: those of {@code owner}, or all
   * when it is null.
   */
  List<String> page(@Nullable String owner, String after, int limit) {
    NavigableSet<String> ids = owner == null ? all : byOwner.get(owner);
    List<String> page = new ArrayList<>(Math.min(limit, 128));
    if (ids == null) {
      return page;
    }
    for (String id : ids.tailSet(after, false)) {
      if (page.size() == limit) {
        break;
      }
      page.add(id);
    }
    return page;
  }
}
