/**
 * The parts of every service's OpenAPI 3.1 document that are alike in every service, written once:
 * the Problem Details schema, the problems every service answers ({@link
 * io.tally.service.web.HttpProblem}), a service's catalogue of the problem types it can answer
 * ({@link io.tally.service.web.openapi.ProblemCatalog}), the responses each operation gets from the
 * types its handler names ({@link io.tally.service.web.openapi.ProblemTypes}), and the document's
 * title, version and servers ({@link io.tally.service.web.openapi.ServiceApi}). A service imports
 * {@link io.tally.service.web.openapi.ServiceOpenApi} and declares its {@code ServiceApi} and
 * {@code ProblemCatalog} beans; the committed copies live in {@code docs/openapi/}.
 */
@NullMarked
package io.tally.service.web.openapi;

import org.jspecify.annotations.NullMarked;
