/**
 * The desk's use cases (propose a change, approve it) and the port they need. An approval that
 * reaches {@code g} writes the log entry to the outbox in the same transaction.
 */
@NullMarked
package io.tally.identity.governance.application;

import org.jspecify.annotations.NullMarked;
