/**
 * The key directory: participants and their current keys as of the last finalized block, never from
 * proposals. An engine replica follows the log and stops at each block until a finality event
 * brings a certificate that verifies against the genesis over exactly the header it computed.
 */
@NullMarked
package io.tally.identity.directory;

import org.jspecify.annotations.NullMarked;
