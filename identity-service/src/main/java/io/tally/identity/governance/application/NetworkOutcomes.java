package io.tally.identity.governance.application;

import java.util.Optional;

/**
 * The network's outcome of a log entry as far as certified blocks tell: the engine's code (for
 * example {@code ACCEPTED} or {@code PARTICIPANT_EXISTS}) of the first certified entry that carried
 * the id, or empty while no certified block holds it. The desk's certified replica answers this;
 * the desk never decides an outcome itself.
 */
@FunctionalInterface
public interface NetworkOutcomes {

  Optional<String> code(String entryId);
}
