/** Typed configuration of the gateway ({@code tally.gateway.*}). */
@NullMarked
package io.tally.gateway.config;

import org.jspecify.annotations.NullMarked;
