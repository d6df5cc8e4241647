/** Typed configuration of identity-service ({@code tally.identity.*}). */
@NullMarked
package io.tally.identity.config;

import org.jspecify.annotations.NullMarked;
