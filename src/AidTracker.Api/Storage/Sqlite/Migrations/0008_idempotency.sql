-- The first response to each POST /donations that carried an Idempotency-Key, per key holder: a retry with the same
-- key and body gets it again, with another body a 422. It is written in the transaction of the donation itself, so a
-- crash leaves both or neither. Rows expire after Idempotency:KeyLifetimeHours (24 by default).
CREATE TABLE idempotency_keys (
    key_holder      TEXT NOT NULL,
    key             TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_sha256  TEXT NOT NULL CHECK (length(request_sha256) = 64),
    status          INTEGER NOT NULL,
    location        TEXT,
    etag            TEXT,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    PRIMARY KEY (key_holder, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
