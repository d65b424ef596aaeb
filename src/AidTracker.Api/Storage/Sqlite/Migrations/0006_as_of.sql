-- The dataset as it stood at any moment (as_of, releases): donations already keep every version in donation_history;
-- countries and weapon systems now do too, because exports carry their names and categories. A row that existed
-- before this migration has one history entry dated 0001-01-01: its past names are not known, and it reads as it
-- stands today for every moment before its first later change.
CREATE TABLE country_history (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    iso2        TEXT,
    eu_member   INTEGER NOT NULL,
    nato_member INTEGER NOT NULL
) STRICT;

CREATE INDEX country_history_code ON country_history (code, changed_at);

INSERT INTO country_history (code, changed_at, name, kind, iso2, eu_member, nato_member)
SELECT code, '0001-01-01T00:00:00.0000000Z', name, kind, iso2, eu_member, nato_member FROM countries;

CREATE TABLE weapon_system_history (
    id               INTEGER PRIMARY KEY,
    weapon_system    TEXT NOT NULL,
    changed_at       TEXT NOT NULL,
    name             TEXT NOT NULL,
    category         TEXT NOT NULL,
    sipri_category   TEXT,
    unroca_category  TEXT,
    description      TEXT
) STRICT;

CREATE INDEX weapon_system_history_id ON weapon_system_history (weapon_system, changed_at);

INSERT INTO weapon_system_history (weapon_system, changed_at, name, category, sipri_category, unroca_category, description)
SELECT id, '0001-01-01T00:00:00.0000000Z', name, category, sipri_category, unroca_category, description FROM weapon_systems;

CREATE TRIGGER country_history_is_append_only_update BEFORE UPDATE ON country_history
BEGIN
    SELECT RAISE(ABORT, 'country_history is append-only');
END;

CREATE TRIGGER country_history_is_append_only_delete BEFORE DELETE ON country_history
BEGIN
    SELECT RAISE(ABORT, 'country_history is append-only');
END;

CREATE TRIGGER weapon_system_history_is_append_only_update BEFORE UPDATE ON weapon_system_history
BEGIN
    SELECT RAISE(ABORT, 'weapon_system_history is append-only');
END;

CREATE TRIGGER weapon_system_history_is_append_only_delete BEFORE DELETE ON weapon_system_history
BEGIN
    SELECT RAISE(ABORT, 'weapon_system_history is append-only');
END;

-- A donation's version at a moment: the last entry at or before it, found by one seek per donation.
CREATE INDEX donation_history_as_of ON donation_history (donation_id, changed_at, version);

-- A release names a moment for citation. Its export is the same bytes whenever it is asked for; csv_sha256 is the
-- digest of its canonical export (every donation, CSV, id order). Releases are never changed or removed.
CREATE TABLE releases (
    id          TEXT NOT NULL PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes       TEXT,
    as_of       TEXT NOT NULL,
    row_count   INTEGER NOT NULL CHECK (row_count >= 0),
    csv_sha256  TEXT NOT NULL CHECK (length(csv_sha256) = 64),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
) STRICT;

CREATE TRIGGER releases_are_final_update BEFORE UPDATE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are never changed');
END;

CREATE TRIGGER releases_are_final_delete BEFORE DELETE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are never removed');
END;
