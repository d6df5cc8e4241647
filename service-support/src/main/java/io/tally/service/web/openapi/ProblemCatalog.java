package io.tally.service.web.openapi;

import io.tally.service.web.HttpProblem;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every Problem Details type one service can answer, by code: the ones every service answers alike
 * ({@link HttpProblem}) and the service's own, each with its one status. The service's OpenAPI
 * document is written from it (every type appears there), and its integration test checks that
 * every code its advices and filters can answer is in it. Immutable; {@link #with} returns a new
 * catalogue.
 */
public final class ProblemCatalog {

  /** A code named in the document that the catalogue does not hold, or two statuses for a code. */
  public static final class Inconsistent extends AssertionError {
    private static final long serialVersionUID = 1L;

    Inconsistent(String message) {
      super(message);
    }
  }

  private final SortedMap<String, ProblemType> types;

  private ProblemCatalog(SortedMap<String, ProblemType> types) {
    this.types = Collections.unmodifiableSortedMap(types);
  }

  /** The problems every service answers alike (service-support's {@link HttpProblem}). */
  public static ProblemCatalog common() {
    ProblemCatalog catalog = new ProblemCatalog(new TreeMap<>());
    for (HttpProblem problem : HttpProblem.values()) {
      catalog = catalog.with(problem.code(), problem.status(), problem.detail());
    }
    return catalog;
  }

  /**
   * This catalogue and the type {@code code} ({@code UNKNOWN_PROPOSAL} or {@code unknown-proposal})
   * answered with {@code status} and {@code headers}. The same code again with the same status
   * keeps the first description; with another status it is a bug ({@link Inconsistent}).
   */
  public ProblemCatalog with(String code, int status, String description, String... headers) {
    String kebab = kebab(code);
    ProblemType known = types.get(kebab);
    if (known != null) {
      if (known.status() != status) {
        throw new Inconsistent(
            "problem type " + kebab + " is answered with " + known.status() + " and " + status);
      }
      return this;
    }
    SortedMap<String, ProblemType> more = new TreeMap<>(types);
    more.put(kebab, new ProblemType(kebab, status, description, List.of(headers)));
    return new ProblemCatalog(more);
  }

  /**
   * The type of {@code code}; a code the catalogue does not hold is a bug ({@link Inconsistent}).
   */
  public ProblemType get(String code) {
    ProblemType type = types.get(kebab(code));
    if (type == null) {
      throw new Inconsistent(
          "problem type " + code + " is named in the API but not in the service's catalogue");
    }
    return type;
  }

  /** Every type, by code. */
  public Collection<ProblemType> types() {
    return types.values();
  }

  private static String kebab(String code) {
    return code.toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
