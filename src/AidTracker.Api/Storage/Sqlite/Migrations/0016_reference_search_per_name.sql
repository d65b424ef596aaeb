-- The reference lists' q finds an entry when one of its names matches: its name, or one alias. country_search and
-- weapon_system_search had one row per entry, name and aliases in two columns (the aliases run together), so that a
-- phrase could span two aliases ("holland dutch") and did not span the name and an alias, unlike PostgreSQL's. They
-- now hold one row per name and per alias, in one column, term; PostgreSQL's functions of the same names read each
-- alone too. Only the search tables are rebuilt, from countries and weapon_systems: no row of those changes.
DROP TRIGGER country_search_after_insert;
DROP TRIGGER country_search_after_update;
DROP TRIGGER country_search_after_delete;
DROP TRIGGER weapon_system_search_after_insert;
DROP TRIGGER weapon_system_search_after_update;
DROP TRIGGER weapon_system_search_after_delete;
DROP TABLE country_search;
DROP TABLE weapon_system_search;

CREATE VIRTUAL TABLE country_search USING fts5(code UNINDEXED, term, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE weapon_system_search USING fts5(id UNINDEXED, term, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO country_search (code, term)
    SELECT code, name FROM countries UNION ALL SELECT c.code, a.value FROM countries c, json_each(c.aliases) a;
INSERT INTO weapon_system_search (id, term)
    SELECT id, name FROM weapon_systems UNION ALL SELECT w.id, a.value FROM weapon_systems w, json_each(w.aliases) a;

CREATE TRIGGER country_search_after_insert AFTER INSERT ON countries
BEGIN
    INSERT INTO country_search (code, term) SELECT new.code, new.name UNION ALL SELECT new.code, value FROM json_each(new.aliases);
END;

CREATE TRIGGER country_search_after_update AFTER UPDATE OF code, name, aliases ON countries
BEGIN
    DELETE FROM country_search WHERE code = old.code;
    INSERT INTO country_search (code, term) SELECT new.code, new.name UNION ALL SELECT new.code, value FROM json_each(new.aliases);
END;

CREATE TRIGGER country_search_after_delete AFTER DELETE ON countries
BEGIN
    DELETE FROM country_search WHERE code = old.code;
END;

CREATE TRIGGER weapon_system_search_after_insert AFTER INSERT ON weapon_systems
BEGIN
    INSERT INTO weapon_system_search (id, term) SELECT new.id, new.name UNION ALL SELECT new.id, value FROM json_each(new.aliases);
END;

CREATE TRIGGER weapon_system_search_after_update AFTER UPDATE OF id, name, aliases ON weapon_systems
BEGIN
    DELETE FROM weapon_system_search WHERE id = old.id;
    INSERT INTO weapon_system_search (id, term) SELECT new.id, new.name UNION ALL SELECT new.id, value FROM json_each(new.aliases);
END;

CREATE TRIGGER weapon_system_search_after_delete AFTER DELETE ON weapon_systems
BEGIN
    DELETE FROM weapon_system_search WHERE id = old.id;
END;
