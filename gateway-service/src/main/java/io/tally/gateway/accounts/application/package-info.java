/** Who is calling: access tokens checked against the certified directory, replay refused. */
@NullMarked
package io.tally.gateway.accounts.application;

import org.jspecify.annotations.NullMarked;
