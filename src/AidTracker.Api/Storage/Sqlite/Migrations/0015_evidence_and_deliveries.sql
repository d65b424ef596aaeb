-- Donations become evidence-grade (issue 17): announced_on and committed_on are partial dates (first day, precision,
-- last day), a donation may name its funder and its package, the status gains partially_delivered, a value says its
-- basis and how its euro figure was reached, and first_reported_on is derived from the sources its evidence cites.
-- Instalments move to deliveries, citations to evidence (each citing a row of sources). delivery_history and
-- evidence_history hold full copies of a donation's deliveries and evidence at each of its versions.
--
-- SQLite cannot change a column's constraints in place, so donations and donation_history are rebuilt: copied aside,
-- dropped (with their indexes and triggers), created anew and filled again; every index and trigger that refers to
-- them is created again below, the search index and the rollup are filled again from the new rows. No table holds a
-- foreign key to donations before this migration except donation_history, which is rebuilt first.
--
-- The data, row by row (every row is kept, tombstones included, and history says what the migration did):
-- - each distinct (source, source_url) text of donations and of their history becomes one row of sources: kind
--   'other', citation the text, url source_url where it is an absolute http(s) URL of at most 2000 characters (any
--   other source_url is kept in the source's notes), and published_on the earliest announced_on of the rows citing
--   it, at day precision: the old rows hold no publication date, and the announcement a source reports cannot
--   precede its publication by much, so this is the closest date the data gives (an approximation, and said so here);
-- - each donation gets one evidence row citing its source (quote null, supports 'announcement');
-- - each delivered donation gets one delivery of its quantity and qualifier, on its delivered_on (or null);
-- - value_is_estimate = 1 becomes value_basis 'estimate', any other row with a value 'reported'; a euro value
--   becomes value_eur_method 'reported' (no rate was recorded);
-- - funding has no place in the design: a live donation whose funding is not 'unspecified' keeps it as a line of the
--   notes of its new 'migration 0015' version, "Funding (before migration 0015): stockpile" (or procurement);
-- - every version written before this migration keeps its values exactly: its notes unaltered, and source,
--   source_url, delivered_on, value_is_estimate and funding in donation_history's legacy columns of those names
--   (null for versions written after it). Releases made before this migration re-export from them byte for byte
--   (Releases/LegacyDonationColumns.cs); releases.format says which layout a release has (1 before, 2 after);
-- - every donation gets a new version (update by 'migration 0015') with copies of its evidence and deliveries, and
--   every earlier version gets copies as they then stood: an evidence citing that version's source (the donation's
--   evidence id), and, when it was delivered, its delivery (the current delivery's id, or null if it has none now).

CREATE TABLE migration_0015_clock AS
SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now') || substr(strftime('%f', 'now'), 3) || '0000Z' AS at;

-- The old rows, aside.
CREATE TABLE donations_0014 AS SELECT * FROM donations;
CREATE TABLE donation_history_0014 AS SELECT * FROM donation_history;

DROP TRIGGER donation_history_is_append_only_update;
DROP TRIGGER donation_history_is_append_only_delete;
DROP TRIGGER donations_are_never_deleted;
DROP TRIGGER donations_fts_after_insert;
DROP TRIGGER donations_fts_after_update;
DROP TRIGGER weapon_systems_fts_after_rename;
DROP TRIGGER donation_rollup_after_insert;
DROP TRIGGER donation_rollup_after_update;
DROP TRIGGER weapon_systems_rollup_after_category;
DROP TRIGGER data_version_after_donation_insert;
DROP TRIGGER data_version_after_donation_update;
DROP TRIGGER data_version_after_donation_delete;
DROP TABLE donation_history;
DROP TABLE donations;

CREATE TABLE donations (
    id                          INTEGER PRIMARY KEY,
    donor                       TEXT NOT NULL REFERENCES countries (code),
    recipient                   TEXT NOT NULL REFERENCES countries (code),
    weapon_system               TEXT NOT NULL REFERENCES weapon_systems (id),
    funder                      TEXT REFERENCES countries (code),
    package_id                  INTEGER REFERENCES packages (id),
    quantity                    INTEGER CHECK (quantity > 0),
    quantity_qualifier          TEXT NOT NULL CHECK (quantity_qualifier IN ('exact', 'at_least', 'approximate', 'undisclosed')),
    status                      TEXT NOT NULL CHECK (status IN ('announced', 'committed', 'partially_delivered', 'delivered', 'cancelled')),
    announced_on                TEXT CHECK (announced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    announced_on_precision      TEXT CHECK (announced_on_precision IN ('year', 'month', 'day')),
    announced_on_end            TEXT CHECK (announced_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND announced_on_end >= announced_on),
    committed_on                TEXT CHECK (committed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    committed_on_precision      TEXT CHECK (committed_on_precision IN ('year', 'month', 'day')),
    committed_on_end            TEXT CHECK (committed_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND committed_on_end >= committed_on),
    value_amount_minor          INTEGER CHECK (value_amount_minor > 0),
    value_currency              TEXT CHECK (value_currency GLOB '[A-Z][A-Z][A-Z]'),
    value_basis                 TEXT CHECK (value_basis IN ('reported', 'book_value', 'price_list', 'estimate')),
    value_eur_cents             INTEGER CHECK (value_eur_cents >= 0),
    value_eur_method            TEXT CHECK (value_eur_method IN ('reported', 'converted')),
    value_eur_rate              TEXT CHECK (length(value_eur_rate) BETWEEN 1 AND 32),
    value_eur_rate_date         TEXT CHECK (value_eur_rate_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    first_reported_on           TEXT CHECK (first_reported_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    first_reported_on_precision TEXT CHECK (first_reported_on_precision IN ('year', 'month', 'day')),
    first_reported_on_end       TEXT CHECK (first_reported_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND first_reported_on_end >= first_reported_on),
    notes                       TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    deleted_at                  TEXT,
    version                     INTEGER NOT NULL CHECK (version > 0),
    CHECK (donor <> recipient),
    CHECK (funder IS NULL OR funder <> recipient),
    CHECK ((quantity IS NULL) = (quantity_qualifier = 'undisclosed')),
    CHECK ((value_amount_minor IS NULL) = (value_currency IS NULL)),
    CHECK (value_basis IS NULL OR value_amount_minor IS NOT NULL OR value_eur_cents IS NOT NULL),
    CHECK ((value_eur_cents IS NULL) = (value_eur_method IS NULL)),
    CHECK ((value_eur_rate IS NOT NULL) = (coalesce(value_eur_method, '') = 'converted') AND (value_eur_rate IS NULL) = (value_eur_rate_date IS NULL)),
    CHECK ((announced_on IS NULL) = (announced_on_precision IS NULL) AND (announced_on IS NULL) = (announced_on_end IS NULL)),
    CHECK ((committed_on IS NULL) = (committed_on_precision IS NULL) AND (committed_on IS NULL) = (committed_on_end IS NULL)),
    CHECK ((first_reported_on IS NULL) = (first_reported_on_precision IS NULL) AND (first_reported_on IS NULL) = (first_reported_on_end IS NULL))
) STRICT;

CREATE TABLE donation_history (
    id                          INTEGER PRIMARY KEY,
    donation_id                 INTEGER NOT NULL REFERENCES donations (id),
    operation                   TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    changed_at                  TEXT NOT NULL,
    changed_by                  TEXT NOT NULL,
    request_id                  TEXT,
    import_id                   INTEGER REFERENCES imports (id),
    donor                       TEXT NOT NULL,
    recipient                   TEXT NOT NULL,
    weapon_system               TEXT NOT NULL,
    funder                      TEXT,
    package_id                  INTEGER,
    quantity                    INTEGER,
    quantity_qualifier          TEXT NOT NULL,
    status                      TEXT NOT NULL,
    announced_on                TEXT,
    announced_on_precision      TEXT,
    announced_on_end            TEXT,
    committed_on                TEXT,
    committed_on_precision      TEXT,
    committed_on_end            TEXT,
    value_amount_minor          INTEGER,
    value_currency              TEXT,
    value_basis                 TEXT,
    value_eur_cents             INTEGER,
    value_eur_method            TEXT,
    value_eur_rate              TEXT,
    value_eur_rate_date         TEXT,
    first_reported_on           TEXT,
    first_reported_on_precision TEXT,
    first_reported_on_end       TEXT,
    notes                       TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    deleted_at                  TEXT,
    version                     INTEGER NOT NULL,
    -- Legacy: the values of versions written before migration 0015, as they were; null for later versions.
    source                      TEXT,
    source_url                  TEXT,
    delivered_on                TEXT,
    value_is_estimate           INTEGER,
    funding                     TEXT,
    UNIQUE (donation_id, version)
) STRICT;

-- Instalments of a donation. A delivery removed by an update is deleted here; its copies stay in delivery_history.
CREATE TABLE deliveries (
    id                     INTEGER PRIMARY KEY,
    donation_id            INTEGER NOT NULL REFERENCES donations (id),
    delivered_on           TEXT CHECK (delivered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    delivered_on_precision TEXT CHECK (delivered_on_precision IN ('year', 'month', 'day')),
    delivered_on_end       TEXT CHECK (delivered_on_end GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND delivered_on_end >= delivered_on),
    quantity               INTEGER CHECK (quantity > 0),
    quantity_qualifier     TEXT NOT NULL CHECK (quantity_qualifier IN ('exact', 'at_least', 'approximate', 'undisclosed')),
    notes                  TEXT,
    CHECK ((quantity IS NULL) = (quantity_qualifier = 'undisclosed')),
    CHECK ((delivered_on IS NULL) = (delivered_on_precision IS NULL) AND (delivered_on IS NULL) = (delivered_on_end IS NULL))
) STRICT;

CREATE INDEX deliveries_donation ON deliveries (donation_id, id);
CREATE INDEX deliveries_delivered_on ON deliveries (delivered_on, donation_id) WHERE delivered_on IS NOT NULL;

-- A citation: a source, the words that support the record, where they stand, a grade, and what they support (a comma
-- list in the order announcement, commitment, delivery, quantity, value). It belongs to exactly one donation
-- (optionally to one of its deliveries) or to one package.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    donation_id INTEGER REFERENCES donations (id),
    delivery_id INTEGER REFERENCES deliveries (id),
    package_id  INTEGER REFERENCES packages (id),
    quote       TEXT CHECK (length(quote) BETWEEN 1 AND 4000),
    locator     TEXT CHECK (length(locator) BETWEEN 1 AND 200),
    credibility INTEGER CHECK (credibility BETWEEN 1 AND 6),
    supports    TEXT NOT NULL CHECK (supports GLOB '[a-z]*' AND supports NOT GLOB '*[^a-z,]*'),
    CHECK ((donation_id IS NULL) <> (package_id IS NULL)),
    CHECK (delivery_id IS NULL OR donation_id IS NOT NULL)
) STRICT;

CREATE INDEX evidence_donation ON evidence (donation_id, id) WHERE donation_id IS NOT NULL;
CREATE INDEX evidence_delivery ON evidence (delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX evidence_package ON evidence (package_id, id) WHERE package_id IS NOT NULL;
CREATE INDEX evidence_source ON evidence (source_id);

-- Full copies of a donation's deliveries and evidence at each of its versions (and of a package's evidence at each of
-- its versions): what as-of reads and releases rebuild the past from.
CREATE TABLE delivery_history (
    id                     INTEGER PRIMARY KEY,
    donation_id            INTEGER NOT NULL,
    donation_version       INTEGER NOT NULL,
    delivery_id            INTEGER,
    delivered_on           TEXT,
    delivered_on_precision TEXT,
    delivered_on_end       TEXT,
    quantity               INTEGER,
    quantity_qualifier     TEXT NOT NULL,
    notes                  TEXT
) STRICT;

CREATE INDEX delivery_history_version ON delivery_history (donation_id, donation_version, delivery_id);

CREATE TABLE evidence_history (
    id               INTEGER PRIMARY KEY,
    donation_id      INTEGER,
    donation_version INTEGER,
    package_id       INTEGER,
    package_version  INTEGER,
    evidence_id      INTEGER NOT NULL,
    source_id        INTEGER NOT NULL,
    delivery_id      INTEGER,
    quote            TEXT,
    locator          TEXT,
    credibility      INTEGER,
    supports         TEXT NOT NULL,
    CHECK ((donation_id IS NULL) = (donation_version IS NULL) AND (package_id IS NULL) = (package_version IS NULL)),
    CHECK ((donation_id IS NULL) <> (package_id IS NULL))
) STRICT;

CREATE INDEX evidence_history_donation ON evidence_history (donation_id, donation_version, evidence_id) WHERE donation_id IS NOT NULL;
CREATE INDEX evidence_history_package ON evidence_history (package_id, package_version, evidence_id) WHERE package_id IS NOT NULL;

-- The sources: one per distinct citation text and address, in the order of the first row citing it.
CREATE TABLE migration_0015_citations AS
SELECT source, source_url, min(announced_on) AS first_announced, min(donation_id) AS first_donation
FROM (SELECT id AS donation_id, source, source_url, announced_on FROM donations_0014
      UNION ALL SELECT donation_id, source, source_url, announced_on FROM donation_history_0014)
GROUP BY source, source_url;

INSERT INTO sources (kind, url, published_on, published_on_precision, published_on_end, citation, notes, created_at, updated_at, version)
SELECT 'other',
    CASE WHEN (source_url LIKE 'http://_%' OR source_url LIKE 'https://_%') AND length(source_url) <= 2000 THEN source_url END,
    first_announced, 'day', first_announced, source,
    CASE WHEN source_url IS NOT NULL AND NOT ((source_url LIKE 'http://_%' OR source_url LIKE 'https://_%') AND length(source_url) <= 2000)
        THEN 'source_url (before migration 0015): ' || source_url END,
    (SELECT at FROM migration_0015_clock), (SELECT at FROM migration_0015_clock), 1
FROM migration_0015_citations
ORDER BY first_donation, source, source_url;

CREATE TABLE migration_0015_source_ids AS
SELECT c.source, c.source_url, s.id AS source_id, s.published_on
FROM migration_0015_citations c
JOIN sources s ON s.citation = c.source AND s.published_on = c.first_announced AND s.created_at = (SELECT at FROM migration_0015_clock)
    AND s.version = 1 AND s.kind = 'other'
    AND (s.url IS c.source_url OR (s.url IS NULL AND (c.source_url IS NULL OR s.notes = 'source_url (before migration 0015): ' || c.source_url)));

INSERT INTO source_history (source_id, operation, changed_at, changed_by, request_id, kind, publisher, title, url, archived_url,
    published_on, published_on_precision, published_on_end, accessed_on, language, reliability, citation, notes,
    created_at, updated_at, deleted_at, version)
SELECT s.id, 'create', s.created_at, 'migration 0015', NULL, s.kind, s.publisher, s.title, s.url, s.archived_url,
    s.published_on, s.published_on_precision, s.published_on_end, s.accessed_on, s.language, s.reliability, s.citation, s.notes,
    s.created_at, s.updated_at, s.deleted_at, s.version
FROM sources s WHERE s.id IN (SELECT source_id FROM migration_0015_source_ids)
ORDER BY s.id;

-- The donations, each at a new version.
INSERT INTO donations (id, donor, recipient, weapon_system, funder, package_id, quantity, quantity_qualifier, status,
    announced_on, announced_on_precision, announced_on_end, committed_on, committed_on_precision, committed_on_end,
    value_amount_minor, value_currency, value_basis, value_eur_cents, value_eur_method, value_eur_rate, value_eur_rate_date,
    first_reported_on, first_reported_on_precision, first_reported_on_end, notes, created_at, updated_at, deleted_at, version)
SELECT d.id, d.donor, d.recipient, d.weapon_system, NULL, NULL, d.quantity, d.quantity_qualifier, d.status,
    d.announced_on, 'day', d.announced_on, NULL, NULL, NULL,
    d.value_amount_minor, d.value_currency,
    CASE WHEN d.value_amount_minor IS NULL AND d.value_eur_cents IS NULL THEN NULL WHEN d.value_is_estimate = 1 THEN 'estimate' ELSE 'reported' END,
    d.value_eur_cents, CASE WHEN d.value_eur_cents IS NOT NULL THEN 'reported' END, NULL, NULL,
    m.published_on, 'day', m.published_on,
    CASE WHEN d.funding = 'unspecified' THEN d.notes
        ELSE coalesce(d.notes || char(10), '') || 'Funding (before migration 0015): ' || d.funding END,
    d.created_at, (SELECT at FROM migration_0015_clock), d.deleted_at, d.version + 1
FROM donations_0014 d
JOIN migration_0015_source_ids m ON m.source = d.source AND m.source_url IS d.source_url
ORDER BY d.id;

INSERT INTO evidence (source_id, donation_id, delivery_id, package_id, quote, locator, credibility, supports)
SELECT m.source_id, d.id, NULL, NULL, NULL, NULL, NULL, 'announcement'
FROM donations_0014 d JOIN migration_0015_source_ids m ON m.source = d.source AND m.source_url IS d.source_url
ORDER BY d.id;

INSERT INTO deliveries (donation_id, delivered_on, delivered_on_precision, delivered_on_end, quantity, quantity_qualifier, notes)
SELECT d.id, d.delivered_on, CASE WHEN d.delivered_on IS NOT NULL THEN 'day' END, d.delivered_on, d.quantity, d.quantity_qualifier, NULL
FROM donations_0014 d WHERE d.status = 'delivered'
ORDER BY d.id;

-- The earlier versions, as they stood, and their copies.
INSERT INTO donation_history (id, donation_id, operation, changed_at, changed_by, request_id, import_id, donor, recipient,
    weapon_system, funder, package_id, quantity, quantity_qualifier, status,
    announced_on, announced_on_precision, announced_on_end, committed_on, committed_on_precision, committed_on_end,
    value_amount_minor, value_currency, value_basis, value_eur_cents, value_eur_method, value_eur_rate, value_eur_rate_date,
    first_reported_on, first_reported_on_precision, first_reported_on_end, notes, created_at, updated_at, deleted_at, version,
    source, source_url, delivered_on, value_is_estimate, funding)
SELECT h.id, h.donation_id, h.operation, h.changed_at, h.changed_by, h.request_id, h.import_id, h.donor, h.recipient,
    h.weapon_system, NULL, NULL, h.quantity, h.quantity_qualifier, h.status,
    h.announced_on, 'day', h.announced_on, NULL, NULL, NULL,
    h.value_amount_minor, h.value_currency,
    CASE WHEN h.value_amount_minor IS NULL AND h.value_eur_cents IS NULL THEN NULL WHEN h.value_is_estimate = 1 THEN 'estimate' ELSE 'reported' END,
    h.value_eur_cents, CASE WHEN h.value_eur_cents IS NOT NULL THEN 'reported' END, NULL, NULL,
    m.published_on, 'day', m.published_on, h.notes,
    h.created_at, h.updated_at, h.deleted_at, h.version,
    h.source, h.source_url, h.delivered_on, h.value_is_estimate, h.funding
FROM donation_history_0014 h
JOIN migration_0015_source_ids m ON m.source = h.source AND m.source_url IS h.source_url
ORDER BY h.id;

INSERT INTO evidence_history (donation_id, donation_version, evidence_id, source_id, delivery_id, quote, locator, credibility, supports)
SELECT h.donation_id, h.version, e.id, m.source_id, NULL, NULL, NULL, NULL, 'announcement'
FROM donation_history_0014 h
JOIN migration_0015_source_ids m ON m.source = h.source AND m.source_url IS h.source_url
JOIN evidence e ON e.donation_id = h.donation_id
ORDER BY h.id;

INSERT INTO delivery_history (donation_id, donation_version, delivery_id, delivered_on, delivered_on_precision, delivered_on_end,
    quantity, quantity_qualifier, notes)
SELECT h.donation_id, h.version, (SELECT x.id FROM deliveries x WHERE x.donation_id = h.donation_id),
    h.delivered_on, CASE WHEN h.delivered_on IS NOT NULL THEN 'day' END, h.delivered_on, h.quantity, h.quantity_qualifier, NULL
FROM donation_history_0014 h WHERE h.status = 'delivered'
ORDER BY h.id;

-- The migration's own version of every donation.
INSERT INTO donation_history (donation_id, operation, changed_at, changed_by, request_id, import_id, donor, recipient,
    weapon_system, funder, package_id, quantity, quantity_qualifier, status,
    announced_on, announced_on_precision, announced_on_end, committed_on, committed_on_precision, committed_on_end,
    value_amount_minor, value_currency, value_basis, value_eur_cents, value_eur_method, value_eur_rate, value_eur_rate_date,
    first_reported_on, first_reported_on_precision, first_reported_on_end, notes, created_at, updated_at, deleted_at, version)
SELECT id, 'update', updated_at, 'migration 0015', NULL, NULL, donor, recipient,
    weapon_system, funder, package_id, quantity, quantity_qualifier, status,
    announced_on, announced_on_precision, announced_on_end, committed_on, committed_on_precision, committed_on_end,
    value_amount_minor, value_currency, value_basis, value_eur_cents, value_eur_method, value_eur_rate, value_eur_rate_date,
    first_reported_on, first_reported_on_precision, first_reported_on_end, notes, created_at, updated_at, deleted_at, version
FROM donations ORDER BY id;

INSERT INTO evidence_history (donation_id, donation_version, evidence_id, source_id, delivery_id, quote, locator, credibility, supports)
SELECT e.donation_id, d.version, e.id, e.source_id, e.delivery_id, e.quote, e.locator, e.credibility, e.supports
FROM evidence e JOIN donations d ON d.id = e.donation_id ORDER BY e.id;

INSERT INTO delivery_history (donation_id, donation_version, delivery_id, delivered_on, delivered_on_precision, delivered_on_end,
    quantity, quantity_qualifier, notes)
SELECT x.donation_id, d.version, x.id, x.delivered_on, x.delivered_on_precision, x.delivered_on_end, x.quantity, x.quantity_qualifier, x.notes
FROM deliveries x JOIN donations d ON d.id = x.donation_id ORDER BY x.id;

DROP TABLE migration_0015_source_ids;
DROP TABLE migration_0015_citations;
DROP TABLE donation_history_0014;
DROP TABLE donations_0014;
DROP TABLE migration_0015_clock;

-- Indexes of live rows (every read filters out tombstones), as before, with the new dimensions.
CREATE INDEX donations_donor ON donations (donor, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_recipient ON donations (recipient, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_weapon_system ON donations (weapon_system, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_announced_on ON donations (announced_on, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_status ON donations (status, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_funder ON donations (funder, id) WHERE deleted_at IS NULL AND funder IS NOT NULL;
CREATE INDEX donations_package ON donations (package_id, id) WHERE deleted_at IS NULL AND package_id IS NOT NULL;
CREATE INDEX donations_first_reported_on ON donations (first_reported_on, id) WHERE deleted_at IS NULL;
CREATE INDEX donations_stats ON donations
    (donor, announced_on, recipient, weapon_system, status, quantity, value_eur_cents, deleted_at)
    WHERE deleted_at IS NULL;
CREATE INDEX donations_weapon_stats ON donations
    (weapon_system, donor, announced_on, recipient, status, quantity, value_eur_cents, deleted_at)
    WHERE deleted_at IS NULL;

CREATE INDEX donation_history_changed_at ON donation_history (changed_at);
CREATE INDEX donation_history_as_of ON donation_history (donation_id, changed_at, version);

CREATE TRIGGER donation_history_is_append_only_update BEFORE UPDATE ON donation_history
BEGIN SELECT RAISE(ABORT, 'donation_history is append-only'); END;
CREATE TRIGGER donation_history_is_append_only_delete BEFORE DELETE ON donation_history
BEGIN SELECT RAISE(ABORT, 'donation_history is append-only'); END;
CREATE TRIGGER delivery_history_is_append_only_update BEFORE UPDATE ON delivery_history
BEGIN SELECT RAISE(ABORT, 'delivery_history is append-only'); END;
CREATE TRIGGER delivery_history_is_append_only_delete BEFORE DELETE ON delivery_history
BEGIN SELECT RAISE(ABORT, 'delivery_history is append-only'); END;
CREATE TRIGGER evidence_history_is_append_only_update BEFORE UPDATE ON evidence_history
BEGIN SELECT RAISE(ABORT, 'evidence_history is append-only'); END;
CREATE TRIGGER evidence_history_is_append_only_delete BEFORE DELETE ON evidence_history
BEGIN SELECT RAISE(ABORT, 'evidence_history is append-only'); END;
CREATE TRIGGER donations_are_never_deleted BEFORE DELETE ON donations
BEGIN SELECT RAISE(ABORT, 'donations are tombstoned, never deleted'); END;

-- The search index: weapon name and aliases, the donation's evidence (quotes, source titles and citations) and notes. A write
-- of a donation sets first_reported_on after its evidence, which indexes the donation again with its evidence.
DELETE FROM donations_fts;
INSERT INTO donations_fts (rowid, weapon_name, source, notes)
SELECT d.id, concat_ws(' ', w.name, (SELECT group_concat(value, ' ') FROM json_each(w.aliases))),
    (SELECT group_concat(concat_ws(' ', e.quote, s.title, s.citation), ' ') FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = d.id),
    d.notes
FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system WHERE d.deleted_at IS NULL;

CREATE TRIGGER donations_fts_after_insert AFTER INSERT ON donations
BEGIN
    INSERT INTO donations_fts (rowid, weapon_name, source, notes)
    SELECT new.id, concat_ws(' ', w.name, (SELECT group_concat(value, ' ') FROM json_each(w.aliases))),
        (SELECT group_concat(concat_ws(' ', e.quote, s.title, s.citation), ' ') FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = new.id),
        new.notes
    FROM weapon_systems w WHERE w.id = new.weapon_system;
END;

CREATE TRIGGER donations_fts_after_update AFTER UPDATE OF weapon_system, notes, first_reported_on, deleted_at ON donations
BEGIN
    DELETE FROM donations_fts WHERE rowid = old.id;
    INSERT INTO donations_fts (rowid, weapon_name, source, notes)
    SELECT new.id, concat_ws(' ', w.name, (SELECT group_concat(value, ' ') FROM json_each(w.aliases))),
        (SELECT group_concat(concat_ws(' ', e.quote, s.title, s.citation), ' ') FROM evidence e JOIN sources s ON s.id = e.source_id WHERE e.donation_id = new.id),
        new.notes
    FROM weapon_systems w WHERE w.id = new.weapon_system AND new.deleted_at IS NULL;
END;

CREATE TRIGGER weapon_systems_fts_after_rename AFTER UPDATE OF name, aliases ON weapon_systems
BEGIN
    UPDATE donations_fts SET weapon_name = concat_ws(' ', new.name, (SELECT group_concat(value, ' ') FROM json_each(new.aliases)))
    WHERE rowid IN (SELECT id FROM donations WHERE weapon_system = new.id AND deleted_at IS NULL);
END;

-- The rollup's month is the announcement's month; a year-precision announcement keeps its year ('2022'), an unknown
-- one is '': no date is placed in a finer period than it is known to.
DELETE FROM donation_rollup;
INSERT INTO donation_rollup
SELECT d.donor, d.recipient, w.category, d.status,
    coalesce(substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), ''),
    count(*), coalesce(sum(d.quantity), 0), count(*) - count(d.quantity), coalesce(sum(d.value_eur_cents), 0)
FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system
WHERE d.deleted_at IS NULL
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER donation_rollup_after_insert AFTER INSERT ON donations WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO donation_rollup
    SELECT new.donor, new.recipient, w.category, new.status,
        coalesce(substr(new.announced_on, 1, CASE new.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), ''),
        1, coalesce(new.quantity, 0), new.quantity IS NULL, coalesce(new.value_eur_cents, 0)
    FROM weapon_systems w WHERE w.id = new.weapon_system
    ON CONFLICT DO UPDATE SET
        count = count + 1, quantity = quantity + excluded.quantity,
        quantity_undisclosed = quantity_undisclosed + excluded.quantity_undisclosed,
        value_eur_cents = value_eur_cents + excluded.value_eur_cents;
END;

CREATE TRIGGER donation_rollup_after_update
AFTER UPDATE OF donor, recipient, weapon_system, status, announced_on, announced_on_precision, quantity, value_eur_cents, deleted_at ON donations
BEGIN
    DELETE FROM donation_rollup
    WHERE old.deleted_at IS NULL
        AND donor = old.donor AND recipient = old.recipient AND status = old.status
        AND month = coalesce(substr(old.announced_on, 1, CASE old.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), '')
        AND category = (SELECT category FROM weapon_systems WHERE id = old.weapon_system)
        AND count = 1;
    UPDATE donation_rollup SET
        count = count - 1, quantity = quantity - coalesce(old.quantity, 0),
        quantity_undisclosed = quantity_undisclosed - (old.quantity IS NULL),
        value_eur_cents = value_eur_cents - coalesce(old.value_eur_cents, 0)
    WHERE old.deleted_at IS NULL
        AND donor = old.donor AND recipient = old.recipient AND status = old.status
        AND month = coalesce(substr(old.announced_on, 1, CASE old.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), '')
        AND category = (SELECT category FROM weapon_systems WHERE id = old.weapon_system)
        AND count > 1;
    INSERT INTO donation_rollup
    SELECT new.donor, new.recipient, w.category, new.status,
        coalesce(substr(new.announced_on, 1, CASE new.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), ''),
        1, coalesce(new.quantity, 0), new.quantity IS NULL, coalesce(new.value_eur_cents, 0)
    FROM weapon_systems w WHERE w.id = new.weapon_system AND new.deleted_at IS NULL
    ON CONFLICT DO UPDATE SET
        count = count + 1, quantity = quantity + excluded.quantity,
        quantity_undisclosed = quantity_undisclosed + excluded.quantity_undisclosed,
        value_eur_cents = value_eur_cents + excluded.value_eur_cents;
END;

CREATE TRIGGER weapon_systems_rollup_after_category AFTER UPDATE OF category ON weapon_systems
WHEN old.category <> new.category
BEGIN
    DELETE FROM donation_rollup WHERE category IN (old.category, new.category);
    INSERT INTO donation_rollup
    SELECT d.donor, d.recipient, w.category, d.status,
        coalesce(substr(d.announced_on, 1, CASE d.announced_on_precision WHEN 'year' THEN 4 ELSE 7 END), ''),
        count(*), coalesce(sum(d.quantity), 0), count(*) - count(d.quantity), coalesce(sum(d.value_eur_cents), 0)
    FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system
    WHERE d.deleted_at IS NULL AND w.category IN (old.category, new.category)
    GROUP BY 1, 2, 3, 4, 5;
END;

CREATE TRIGGER data_version_after_donation_insert AFTER INSERT ON donations
BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_after_donation_update AFTER UPDATE ON donations
BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_after_donation_delete AFTER DELETE ON donations
BEGIN UPDATE data_version SET version = version + 1; END;

-- A release's layout: 1, the donation columns before this migration (its exports read the legacy history columns and
-- give the bytes it was released with), 2 the columns after it. A new release names its format.
ALTER TABLE releases ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format IN (1, 2));

UPDATE data_version SET version = version + 1;
