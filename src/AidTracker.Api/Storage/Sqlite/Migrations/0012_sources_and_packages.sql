-- Sources and packages: records of their own, versioned like donations (issue 17). A partial date is three columns:
-- its first day (X), its precision (X_precision: year, month, day) and its last day (X_end), so that a range filter
-- is "X >= from AND X_end <= to" over an index.

CREATE TABLE sources (
    id                     INTEGER PRIMARY KEY,
    kind                   TEXT NOT NULL CHECK (kind IN ('official', 'parliamentary', 'news', 'social_media', 'dataset', 'other')),
    publisher              TEXT CHECK (length(publisher) BETWEEN 1 AND 300),
    title                  TEXT CHECK (length(title) BETWEEN 1 AND 1000),
    url                    TEXT CHECK (length(url) BETWEEN 1 AND 2000),
    archived_url           TEXT CHECK (length(archived_url) BETWEEN 1 AND 2000),
    published_on           TEXT NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    published_on_precision TEXT NOT NULL CHECK (published_on_precision IN ('year', 'month', 'day')),
    published_on_end       TEXT NOT NULL CHECK (published_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND published_on_end >= published_on),
    accessed_on            TEXT CHECK (accessed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    language               TEXT CHECK (length(language) BETWEEN 2 AND 35),
    reliability            TEXT CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
    citation               TEXT CHECK (length(citation) BETWEEN 1 AND 2000),
    notes                  TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    deleted_at             TEXT,
    version                INTEGER NOT NULL CHECK (version > 0),
    -- A source can always be cited: by its title, its address, or a citation written for it.
    CHECK (title IS NOT NULL OR url IS NOT NULL OR citation IS NOT NULL)
) STRICT;

CREATE INDEX sources_kind ON sources (kind, id) WHERE deleted_at IS NULL;
CREATE INDEX sources_published_on ON sources (published_on, id) WHERE deleted_at IS NULL;

CREATE TABLE source_history (
    id                     INTEGER PRIMARY KEY,
    source_id              INTEGER NOT NULL REFERENCES sources (id),
    operation              TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at             TEXT NOT NULL,
    changed_by             TEXT NOT NULL,
    request_id             TEXT,
    kind                   TEXT NOT NULL,
    publisher              TEXT,
    title                  TEXT,
    url                    TEXT,
    archived_url           TEXT,
    published_on           TEXT NOT NULL,
    published_on_precision TEXT NOT NULL,
    published_on_end       TEXT NOT NULL,
    accessed_on            TEXT,
    language               TEXT,
    reliability            TEXT,
    citation               TEXT,
    notes                  TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    deleted_at             TEXT,
    version                INTEGER NOT NULL,
    UNIQUE (source_id, version)
) STRICT;

CREATE INDEX source_history_as_of ON source_history (source_id, changed_at, version);
CREATE INDEX source_history_changed_at ON source_history (changed_at);

CREATE TABLE packages (
    id                     INTEGER PRIMARY KEY,
    donor                  TEXT NOT NULL REFERENCES countries (code),
    title                  TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
    instrument             TEXT NOT NULL CHECK (instrument IN ('stockpile_drawdown', 'procurement', 'eu_peace_facility', 'loan', 'ring_exchange', 'other')),
    announced_on           TEXT CHECK (announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    announced_on_precision TEXT CHECK (announced_on_precision IN ('year', 'month', 'day')),
    announced_on_end       TEXT CHECK (announced_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND announced_on_end >= announced_on),
    value_amount_minor     INTEGER CHECK (value_amount_minor > 0),
    value_currency         TEXT CHECK (value_currency GLOB '[A-Z][A-Z][A-Z]'),
    notes                  TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    deleted_at             TEXT,
    version                INTEGER NOT NULL CHECK (version > 0),
    CHECK ((announced_on IS NULL) = (announced_on_precision IS NULL) AND (announced_on IS NULL) = (announced_on_end IS NULL)),
    CHECK ((value_amount_minor IS NULL) = (value_currency IS NULL))
) STRICT;

CREATE INDEX packages_donor ON packages (donor, id) WHERE deleted_at IS NULL;

CREATE TABLE package_history (
    id                     INTEGER PRIMARY KEY,
    package_id             INTEGER NOT NULL REFERENCES packages (id),
    operation              TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at             TEXT NOT NULL,
    changed_by             TEXT NOT NULL,
    request_id             TEXT,
    donor                  TEXT NOT NULL,
    title                  TEXT NOT NULL,
    instrument             TEXT NOT NULL,
    announced_on           TEXT,
    announced_on_precision TEXT,
    announced_on_end       TEXT,
    value_amount_minor     INTEGER,
    value_currency         TEXT,
    notes                  TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    deleted_at             TEXT,
    version                INTEGER NOT NULL,
    UNIQUE (package_id, version)
) STRICT;

CREATE INDEX package_history_as_of ON package_history (package_id, changed_at, version);
CREATE INDEX package_history_changed_at ON package_history (changed_at);

CREATE TRIGGER source_history_is_append_only_update BEFORE UPDATE ON source_history
BEGIN SELECT RAISE(ABORT, 'source_history is append-only'); END;
CREATE TRIGGER source_history_is_append_only_delete BEFORE DELETE ON source_history
BEGIN SELECT RAISE(ABORT, 'source_history is append-only'); END;
CREATE TRIGGER sources_are_never_deleted BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are tombstoned, never deleted'); END;
CREATE TRIGGER package_history_is_append_only_update BEFORE UPDATE ON package_history
BEGIN SELECT RAISE(ABORT, 'package_history is append-only'); END;
CREATE TRIGGER package_history_is_append_only_delete BEFORE DELETE ON package_history
BEGIN SELECT RAISE(ABORT, 'package_history is append-only'); END;
CREATE TRIGGER packages_are_never_deleted BEFORE DELETE ON packages
BEGIN SELECT RAISE(ABORT, 'packages are tombstoned, never deleted'); END;

-- A donation's JSON carries what it cites (its sources, its package), as it carries country and weapon names: a
-- change to either moves the reference version, which every donation's ETag includes.
CREATE TRIGGER data_version_after_source_insert AFTER INSERT ON sources
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_source_update AFTER UPDATE ON sources
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_package_insert AFTER INSERT ON packages
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_package_update AFTER UPDATE ON packages
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
