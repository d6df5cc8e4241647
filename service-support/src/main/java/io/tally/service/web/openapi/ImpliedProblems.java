package io.tally.service.web.openapi;

import java.util.Collection;
import org.springframework.web.method.HandlerMethod;

/**
 * Problem types an operation can answer because of how its handler is called rather than what it
 * does, such as {@code unauthenticated} for every handler that takes the authenticated caller: a
 * service declares one as a bean, and {@link ProblemTypes} need not repeat it on every method.
 */
@FunctionalInterface
public interface ImpliedProblems {

  /** The codes (kebab-cased) {@code handler}'s operation can answer besides its own. */
  Collection<String> codes(HandlerMethod handler);
}
