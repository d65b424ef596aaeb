-- The data version: a counter that every change to what the public reads moves, in the change's own transaction.
-- Reads derive their ETags and their output-cache keys from it, so no cached answer survives a write, whichever
-- process or connection made it (the service, the import verb, the sqlite3 CLI). reference_version moves only with
-- countries and weapon systems: a single donation's ETag is its row version plus it, since the donation's JSON
-- carries their names and category.
CREATE TABLE data_version (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    version           INTEGER NOT NULL,
    reference_version INTEGER NOT NULL
);
INSERT INTO data_version VALUES (1, 1, 1);

CREATE TRIGGER data_version_after_donation_insert AFTER INSERT ON donations
BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_after_donation_update AFTER UPDATE ON donations
BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_after_donation_delete AFTER DELETE ON donations
BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER data_version_after_release_insert AFTER INSERT ON releases
BEGIN UPDATE data_version SET version = version + 1; END;
CREATE TRIGGER data_version_after_import_insert AFTER INSERT ON imports
BEGIN UPDATE data_version SET version = version + 1; END;

CREATE TRIGGER data_version_after_country_insert AFTER INSERT ON countries
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_country_update AFTER UPDATE ON countries
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_country_delete AFTER DELETE ON countries
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_weapon_system_insert AFTER INSERT ON weapon_systems
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_weapon_system_update AFTER UPDATE ON weapon_systems
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
CREATE TRIGGER data_version_after_weapon_system_delete AFTER DELETE ON weapon_systems
BEGIN UPDATE data_version SET version = version + 1, reference_version = reference_version + 1; END;
