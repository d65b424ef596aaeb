-- Countries: EU and NATO membership with the day each began, and the day EU membership ended (the United Kingdom's),
-- so that "members at the time" is answerable; eu_member and nato_member stay, today's membership. Countries and
-- weapon systems: aliases, a JSON array of strings (other names, demonyms, designations, plurals). The history tables
-- record them as the tables do. Rows that exist keep everything and get no dates and no aliases: nothing is made up.
-- country_search and weapon_system_search index name and aliases for the reference lists' q (lower case, no accents,
-- words of letters and digits, as donations_fts); triggers keep them in step. PostgreSQL's functions of the same
-- names answer the same query: SELECT code FROM country_search(@Query).
ALTER TABLE countries ADD COLUMN eu_since TEXT CHECK (eu_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE countries ADD COLUMN eu_until TEXT
    CHECK (eu_until IS NULL OR (eu_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND eu_since IS NOT NULL AND eu_until >= eu_since));
ALTER TABLE countries ADD COLUMN nato_since TEXT CHECK (nato_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE countries ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array');

ALTER TABLE weapon_systems ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array');

ALTER TABLE country_history ADD COLUMN eu_since TEXT;
ALTER TABLE country_history ADD COLUMN eu_until TEXT;
ALTER TABLE country_history ADD COLUMN nato_since TEXT;
ALTER TABLE country_history ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';

ALTER TABLE weapon_system_history ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]';

CREATE VIRTUAL TABLE country_search USING fts5(code UNINDEXED, name, aliases, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE weapon_system_search USING fts5(id UNINDEXED, name, aliases, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO country_search (code, name, aliases) SELECT code, name, '' FROM countries;
INSERT INTO weapon_system_search (id, name, aliases) SELECT id, name, '' FROM weapon_systems;

CREATE TRIGGER country_search_after_insert AFTER INSERT ON countries
BEGIN
    INSERT INTO country_search (code, name, aliases)
    VALUES (new.code, new.name, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.aliases)));
END;

CREATE TRIGGER country_search_after_update AFTER UPDATE OF code, name, aliases ON countries
BEGIN
    DELETE FROM country_search WHERE code = old.code;
    INSERT INTO country_search (code, name, aliases)
    VALUES (new.code, new.name, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.aliases)));
END;

CREATE TRIGGER country_search_after_delete AFTER DELETE ON countries
BEGIN
    DELETE FROM country_search WHERE code = old.code;
END;

CREATE TRIGGER weapon_system_search_after_insert AFTER INSERT ON weapon_systems
BEGIN
    INSERT INTO weapon_system_search (id, name, aliases)
    VALUES (new.id, new.name, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.aliases)));
END;

CREATE TRIGGER weapon_system_search_after_update AFTER UPDATE OF id, name, aliases ON weapon_systems
BEGIN
    DELETE FROM weapon_system_search WHERE id = old.id;
    INSERT INTO weapon_system_search (id, name, aliases)
    VALUES (new.id, new.name, (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.aliases)));
END;

CREATE TRIGGER weapon_system_search_after_delete AFTER DELETE ON weapon_systems
BEGIN
    DELETE FROM weapon_system_search WHERE id = old.id;
END;
