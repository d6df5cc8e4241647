/** Finality events: the web layer. */
@NullMarked
package io.tally.gateway.events.web;

import org.jspecify.annotations.NullMarked;
