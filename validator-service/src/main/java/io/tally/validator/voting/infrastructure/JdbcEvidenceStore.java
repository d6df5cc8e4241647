package io.tally.validator.voting.infrastructure;

import io.tally.validator.voting.domain.EquivocationDetector;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps equivocation evidence (table {@code equivocation_evidence}); one row per validator and
 * height.
 */
final class JdbcEvidenceStore {

  private final JdbcTemplate jdbc;

  JdbcEvidenceStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void keep(EquivocationDetector.Evidence evidence) {
    jdbc.update(
        "INSERT INTO equivocation_evidence (validator_id, height, first_vote, second_vote)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (validator_id, height) DO NOTHING",
        evidence.validatorId(),
        evidence.height(),
        evidence.firstVote(),
        evidence.secondVote());
  }
}
