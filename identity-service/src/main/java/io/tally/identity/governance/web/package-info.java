/**
 * The desk's API under {@code /v1}: proposals (create, list, get), approvals (add), the genesis and
 * the validators' JWKS. Errors are RFC 9457 Problem Details whose {@code type} names a rule.
 */
@NullMarked
package io.tally.identity.governance.web;

import org.jspecify.annotations.NullMarked;
