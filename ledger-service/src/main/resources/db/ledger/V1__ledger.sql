-- The certified chain. One row per committed block: the header exactly as the validators signed
-- it, and the quorum certificate that made it final.
CREATE TABLE block (
    height        BIGINT PRIMARY KEY,
    header        BYTEA NOT NULL,
    header_sha256 TEXT NOT NULL UNIQUE CHECK (length(header_sha256) = 64),
    prev_sha256   TEXT NOT NULL CHECK (length(prev_sha256) = 64),
    entry_count   INTEGER NOT NULL,
    first_offset  BIGINT NOT NULL,
    last_offset   BIGINT NOT NULL,
    log_time      BIGINT NOT NULL,
    state_sha256  TEXT NOT NULL CHECK (length(state_sha256) = 64),
    certificate   BYTEA NOT NULL,
    signers       TEXT NOT NULL,
    committed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every log record of a committed block, in log order, with its outcome. `position` is its leaf
-- index in the block's entries and results Merkle trees; the leaves are kept for proofs.
CREATE TABLE entry (
    log_offset      BIGINT PRIMARY KEY,
    height          BIGINT NOT NULL REFERENCES block (height),
    position        INTEGER NOT NULL,
    instruction_id  TEXT,
    code            TEXT NOT NULL,
    original_offset BIGINT,
    record          BYTEA NOT NULL,
    outcome         BYTEA NOT NULL,
    entry_leaf      BYTEA NOT NULL,
    result_leaf     BYTEA NOT NULL,
    UNIQUE (height, position)
);
CREATE INDEX entry_instruction_id ON entry (instruction_id);

-- The movements each block applied, leg by leg: the account history.
CREATE TABLE posting (
    id             BIGSERIAL PRIMARY KEY,
    height         BIGINT NOT NULL REFERENCES block (height),
    log_offset     BIGINT NOT NULL,
    instruction_id TEXT,
    movement       TEXT NOT NULL,
    reservation    TEXT,
    debit          TEXT NOT NULL,
    credit         TEXT NOT NULL,
    asset          TEXT NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount > 0)
);
CREATE INDEX posting_debit ON posting (debit, id);
CREATE INDEX posting_credit ON posting (credit, id);

-- Balances after the last committed block that changed the account.
CREATE TABLE account (
    id              TEXT PRIMARY KEY,
    owner           TEXT NOT NULL,
    asset           TEXT NOT NULL,
    issuance        BOOLEAN NOT NULL,
    overdraft       BOOLEAN NOT NULL,
    posted_debits   BIGINT NOT NULL,
    posted_credits  BIGINT NOT NULL,
    pending_debits  BIGINT NOT NULL,
    pending_credits BIGINT NOT NULL,
    height          BIGINT NOT NULL
);

-- Where reading resumes after a restart; one row per shard, written with every block.
CREATE TABLE progress (
    shard             INTEGER PRIMARY KEY,
    height            BIGINT NOT NULL,
    log_next_offset   BIGINT NOT NULL,
    votes_next_offset BIGINT NOT NULL
);

-- Engine state after block `height`, taken every few blocks in the block's own transaction,
-- so a restart replays only from here.
CREATE TABLE engine_snapshot (
    height      BIGINT PRIMARY KEY,
    next_offset BIGINT NOT NULL,
    state       BYTEA NOT NULL
);

-- Finality events, written in the block's transaction and relayed to tally.finalized.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    height       BIGINT NOT NULL,
    payload      BYTEA NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- What made this ledger stop or raise an alarm: a certificate over a header it did not compute
-- (kind CERTIFIED_MISMATCH) or a validator signing two headers at one height (EQUIVOCATION).
CREATE TABLE evidence (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,
    height      BIGINT NOT NULL,
    validator   TEXT,
    description TEXT NOT NULL,
    computed    BYTEA,
    observed    BYTEA NOT NULL,
    detected_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
