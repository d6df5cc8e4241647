/** Typed configuration ({@code tally.validator.*}) and the explicit wiring of the service. */
@NullMarked
package io.tally.validator.config;

import org.jspecify.annotations.NullMarked;
