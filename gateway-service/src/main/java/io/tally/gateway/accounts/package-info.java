/** Reads for participants and auditors: accounts, balances, history and finality events. */
@NullMarked
package io.tally.gateway.accounts;

import org.jspecify.annotations.NullMarked;
