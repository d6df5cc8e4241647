package io.tally.service.web.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Problem Details types a handler method can answer beyond those every operation can ({@code
 * malformed}, {@code not-acceptable}, {@code internal-error}; with a body also {@code too-large}
 * and {@code unsupported-media-type}): their codes, kebab-cased ({@code "unknown-proposal"}).
 * Statuses, descriptions and headers come from the service's {@link ProblemCatalog}, so a code it
 * does not hold fails the document. On a controller class the types apply to each of its methods.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ProblemTypes {

  /** The codes, kebab-cased. */
  String[] value();
}
