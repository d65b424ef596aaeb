-- Settings that every instance sharing this database must agree on.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The HMAC key that signs list cursors, so that an edited cursor is refused. Random per database.
INSERT INTO settings (key, value) VALUES ('cursor_key', lower(hex(randomblob(32))));

-- Sort keys that lists page on (with id as the final tiebreak), for live rows only.
CREATE INDEX donations_delivered_on ON donations (delivered_on, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_status ON donations (status, id) WHERE deleted_at IS NULL;
