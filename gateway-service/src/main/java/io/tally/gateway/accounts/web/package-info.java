/** HTTP: accounts, balances and history for the caller; Server-Sent finality events. */
@NullMarked
package io.tally.gateway.accounts.web;

import org.jspecify.annotations.NullMarked;
