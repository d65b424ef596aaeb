-- Full-text search over weapon name, source and notes of live donations (q=). The triggers keep it in step with
-- donations and with renamed weapon systems; a tombstoned donation leaves the index.
CREATE VIRTUAL TABLE donations_fts USING fts5(weapon_name, source, notes, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO donations_fts (rowid, weapon_name, source, notes)
SELECT d.id, w.name, d.source, d.notes FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system WHERE d.deleted_at IS NULL;

CREATE TRIGGER donations_fts_after_insert AFTER INSERT ON donations
BEGIN
    INSERT INTO donations_fts (rowid, weapon_name, source, notes)
    SELECT new.id, w.name, new.source, new.notes FROM weapon_systems w WHERE w.id = new.weapon_system;
END;

CREATE TRIGGER donations_fts_after_update AFTER UPDATE OF weapon_system, source, notes, deleted_at ON donations
BEGIN
    DELETE FROM donations_fts WHERE rowid = old.id;
    INSERT INTO donations_fts (rowid, weapon_name, source, notes)
    SELECT new.id, w.name, new.source, new.notes FROM weapon_systems w WHERE w.id = new.weapon_system AND new.deleted_at IS NULL;
END;

CREATE TRIGGER weapon_systems_fts_after_rename AFTER UPDATE OF name ON weapon_systems
BEGIN
    UPDATE donations_fts SET weapon_name = new.name
    WHERE rowid IN (SELECT id FROM donations WHERE weapon_system = new.id AND deleted_at IS NULL);
END;
