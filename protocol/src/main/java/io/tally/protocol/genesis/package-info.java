/**
 * The genesis ({@code network.json}): the network id, the validators and their quorum, the
 * governance keys and their threshold, the instance keys allowed to write to the log, and the
 * optional rules every engine of the network enforces. Every component loads the same file; its
 * SHA-256 is the network's identity.
 */
@NullMarked
package io.tally.protocol.genesis;

import org.jspecify.annotations.NullMarked;
