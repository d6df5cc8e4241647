-- What auditors search and inspect (docs/audit-api.md, ADR 0017).

-- The envelope type of each entry: instruction, governance or cut (null for a record the network
-- refused as unreadable, and for entries committed before this migration).
ALTER TABLE entry ADD COLUMN kind TEXT;

-- Every vote the ledger counted for a committed block, and when it arrived on the votes topic
-- (the topic's record timestamp).
CREATE TABLE vote (
    height     BIGINT NOT NULL REFERENCES block (height),
    validator  TEXT NOT NULL,
    log_offset BIGINT NOT NULL,
    arrived_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (height, validator)
);

-- How many entries of each kind ended with each code, per block: the chain's list and the commit
-- series read these few rows instead of every entry. Written in the block's transaction; filled
-- here for the blocks committed before.
CREATE TABLE block_outcome (
    height BIGINT NOT NULL REFERENCES block (height),
    kind   TEXT,
    code   TEXT NOT NULL,
    count  INTEGER NOT NULL CHECK (count > 0)
);
CREATE INDEX block_outcome_height ON block_outcome (height);
INSERT INTO block_outcome (height, kind, code, count)
    SELECT height, kind, code, count(*) FROM entry GROUP BY height, kind, code;

-- Searches: newest first by log offset within each filter.
CREATE INDEX entry_code ON entry (code, log_offset);
CREATE INDEX entry_kind ON entry (kind, log_offset);
CREATE INDEX entry_height ON entry (height, log_offset);
CREATE INDEX posting_offset ON posting (log_offset);
CREATE INDEX posting_debit_offset ON posting (debit, log_offset);
CREATE INDEX posting_credit_offset ON posting (credit, log_offset);
CREATE INDEX posting_asset_offset ON posting (asset, log_offset);
CREATE INDEX account_owner ON account (owner, id);
CREATE INDEX block_log_time ON block (log_time);
CREATE INDEX block_committed_at ON block (committed_at);
CREATE INDEX outbox_height ON outbox (height);
