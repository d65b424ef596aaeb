-- AidTracker schema, version 1.
-- Dates are ISO 'yyyy-MM-dd' text, timestamps ISO 8601 UTC text with a fixed width (so text order is time order),
-- money is integer minor units of its currency, flags are 0/1.

CREATE TABLE countries (
    code        TEXT NOT NULL PRIMARY KEY CHECK (code GLOB '[A-Z][A-Z]*' AND length(code) BETWEEN 2 AND 4),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        TEXT NOT NULL CHECK (kind IN ('state', 'organisation')),
    iso2        TEXT UNIQUE CHECK (iso2 IS NULL OR (iso2 GLOB '[A-Z][A-Z]' AND length(iso2) = 2)),
    eu_member   INTEGER NOT NULL CHECK (eu_member IN (0, 1)),
    nato_member INTEGER NOT NULL CHECK (nato_member IN (0, 1))
) STRICT;

CREATE TABLE weapon_systems (
    id              TEXT NOT NULL PRIMARY KEY CHECK (id GLOB '[a-z0-9]*' AND length(id) BETWEEN 1 AND 64),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category        TEXT NOT NULL CHECK (category IN ('anti-tank', 'manpads', 'air-defence', 'artillery',
                        'rocket-artillery', 'rocket-launcher', 'small-arms', 'ammunition', 'armoured-vehicle', 'tank',
                        'aircraft', 'helicopter', 'drone', 'naval', 'equipment', 'other')),
    sipri_category  TEXT,
    unroca_category TEXT CHECK (unroca_category IN ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VII(b)', 'VIII')),
    description     TEXT
) STRICT;

CREATE INDEX weapon_systems_category ON weapon_systems (category);

CREATE TABLE donations (
    id                 INTEGER PRIMARY KEY,
    donor              TEXT NOT NULL REFERENCES countries (code),
    recipient          TEXT NOT NULL REFERENCES countries (code),
    weapon_system      TEXT NOT NULL REFERENCES weapon_systems (id),
    quantity           INTEGER CHECK (quantity > 0),
    quantity_qualifier TEXT NOT NULL CHECK (quantity_qualifier IN ('exact', 'at_least', 'approximate', 'undisclosed')),
    status             TEXT NOT NULL CHECK (status IN ('announced', 'committed', 'delivered', 'cancelled')),
    announced_on       TEXT NOT NULL CHECK (announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    delivered_on       TEXT CHECK (delivered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    value_amount_minor INTEGER CHECK (value_amount_minor > 0),
    value_currency     TEXT CHECK (value_currency GLOB '[A-Z][A-Z][A-Z]'),
    value_eur_cents    INTEGER CHECK (value_eur_cents >= 0),
    value_is_estimate  INTEGER NOT NULL CHECK (value_is_estimate IN (0, 1)),
    funding            TEXT NOT NULL CHECK (funding IN ('stockpile', 'procurement', 'unspecified')),
    source             TEXT NOT NULL CHECK (length(source) > 0),
    source_url         TEXT,
    notes              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT,
    version            INTEGER NOT NULL CHECK (version > 0),
    CHECK (donor <> recipient),
    CHECK ((quantity IS NULL) = (quantity_qualifier = 'undisclosed')),
    CHECK (delivered_on IS NULL OR (status = 'delivered' AND delivered_on >= announced_on)),
    CHECK ((value_amount_minor IS NULL) = (value_currency IS NULL))
) STRICT;

-- Live rows only: every read filters out tombstones.
CREATE INDEX donations_donor ON donations (donor, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_recipient ON donations (recipient, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_weapon_system ON donations (weapon_system, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_announced_on ON donations (announced_on, id) WHERE deleted_at IS NULL;

-- Append-only: the whole record as it stood after each create, update and delete.
CREATE TABLE donation_history (
    id                 INTEGER PRIMARY KEY,
    donation_id        INTEGER NOT NULL REFERENCES donations (id),
    operation          TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at         TEXT NOT NULL,
    changed_by         TEXT NOT NULL,
    request_id         TEXT,
    donor              TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    weapon_system      TEXT NOT NULL,
    quantity           INTEGER,
    quantity_qualifier TEXT NOT NULL,
    status             TEXT NOT NULL,
    announced_on       TEXT NOT NULL,
    delivered_on       TEXT,
    value_amount_minor INTEGER,
    value_currency     TEXT,
    value_eur_cents    INTEGER,
    value_is_estimate  INTEGER NOT NULL,
    funding            TEXT NOT NULL,
    source             TEXT NOT NULL,
    source_url         TEXT,
    notes              TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT,
    version            INTEGER NOT NULL,
    UNIQUE (donation_id, version)
) STRICT;

CREATE INDEX donation_history_changed_at ON donation_history (changed_at);

CREATE TRIGGER donation_history_is_append_only_update BEFORE UPDATE ON donation_history
BEGIN
    SELECT RAISE(ABORT, 'donation_history is append-only');
END;

CREATE TRIGGER donation_history_is_append_only_delete BEFORE DELETE ON donation_history
BEGIN
    SELECT RAISE(ABORT, 'donation_history is append-only');
END;

CREATE TRIGGER donations_are_never_deleted BEFORE DELETE ON donations
BEGIN
    SELECT RAISE(ABORT, 'donations are tombstoned, never deleted');
END;

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role        TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    secret_hash TEXT NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

-- One active key per name, so that history's changed_by names one holder.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
