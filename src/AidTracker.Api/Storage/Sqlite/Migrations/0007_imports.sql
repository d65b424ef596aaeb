-- Each accepted CSV import: who loaded which file (its SHA-256), which donations it created, and the client's
-- Idempotency-Key, so that a retried upload returns the first one's result instead of importing twice. A rejected
-- import leaves nothing behind, not even a row here. The history of every row it created carries its id.
CREATE TABLE imports (
    id               INTEGER PRIMARY KEY,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    idempotency_key  TEXT CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    file_sha256      TEXT NOT NULL CHECK (length(file_sha256) = 64),
    row_count        INTEGER NOT NULL CHECK (row_count > 0),
    first_donation   INTEGER NOT NULL,
    last_donation    INTEGER NOT NULL,
    ignored_columns  TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX imports_idempotency_key ON imports (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

ALTER TABLE donation_history ADD COLUMN import_id INTEGER REFERENCES imports (id);
