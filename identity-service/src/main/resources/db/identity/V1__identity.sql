-- Governance proposals: the payload exactly as its authors signed it (base64url) and the proofs
-- of possession of every key it brings in (compact JWSs, one per line).
CREATE TABLE proposal (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    proofs      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('OPEN', 'APPROVED')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at TIMESTAMPTZ
);

-- One approval per administrator and proposal: the compact JWS over the payload.
CREATE TABLE approval (
    proposal_id   TEXT NOT NULL REFERENCES proposal (id),
    administrator TEXT NOT NULL,
    jws           TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (proposal_id, administrator)
);

-- Approved changes waiting for (or done with) publication to tally.log; one per proposal.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    proposal_id  TEXT NOT NULL UNIQUE REFERENCES proposal (id),
    payload      BYTEA NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
