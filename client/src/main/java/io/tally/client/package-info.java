/**
 * The Java client of Tally: keys, instruction and governance builders, multi-party signing, a
 * gateway and identity HTTP client with explicit deadlines, and (through {@link
 * io.tally.protocol.receipt.Receipt}) offline receipt verification.
 */
@NullMarked
package io.tally.client;

import org.jspecify.annotations.NullMarked;
