/** What the gateway's HTTP controllers share. */
@NullMarked
package io.tally.gateway.web;

import org.jspecify.annotations.NullMarked;
