/**
 * Problem Details (RFC 9457) for every HTTP error of every Tally service, written once so that the
 * gateway, ledger, identity-service and validators answer alike: a stable {@code type} {@code
 * urn:tally:problem:<code>} ({@link io.tally.service.web.Problems}), the codes for what the
 * framework and the server refuse before a controller runs ({@link
 * io.tally.service.web.HttpProblem}), the checks of path and query parameters at the web boundary
 * ({@link io.tally.service.web.RequestParameters}, {@link
 * io.tally.service.web.RequestSyntaxFilter}) and the wiring a service imports ({@link
 * io.tally.service.web.ProblemWeb}). A {@code detail} is always a sentence written here or by the
 * service, never a Java exception's message.
 */
@NullMarked
package io.tally.service.web;

import org.jspecify.annotations.NullMarked;
