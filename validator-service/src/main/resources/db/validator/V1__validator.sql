-- Engine snapshots: the whole engine state after block `height`; the log continues at
-- `next_offset`. A few are kept, so a damaged latest snapshot is not the only one.
CREATE TABLE engine_snapshot (
    height       BIGINT PRIMARY KEY,
    next_offset  BIGINT NOT NULL,
    state_sha256 CHAR(64) NOT NULL,
    state        BYTEA NOT NULL,
    taken_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Evidence of equivocation: two different headers signed by one validator at one height,
-- both votes exactly as received.
CREATE TABLE equivocation_evidence (
    validator_id TEXT NOT NULL,
    height       BIGINT NOT NULL,
    first_vote   BYTEA NOT NULL,
    second_vote  BYTEA NOT NULL,
    detected_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (validator_id, height)
);
