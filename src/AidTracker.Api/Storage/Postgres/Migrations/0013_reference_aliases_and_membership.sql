-- Countries: EU and NATO membership with the day each began, and the day EU membership ended (the United Kingdom's),
-- so that "members at the time" is answerable; eu_member and nato_member stay, today's membership. Countries and
-- weapon systems: aliases, a JSON array of strings (other names, demonyms, designations, plurals). The history tables
-- record them as the tables do. Rows that exist keep everything and get no dates and no aliases: nothing is made up.
-- country_search(query) and weapon_system_search(query) answer the reference lists' q over name and aliases, folded
-- as donation_document folds (no accents, lower case, words of letters and digits): the tables are small, so the
-- documents are made as they are read. SQLite's FTS5 tables of the same names answer the same query.
ALTER TABLE countries ADD COLUMN eu_since text COLLATE "C" CHECK (eu_since ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE countries ADD COLUMN eu_until text COLLATE "C" CHECK (eu_until ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE countries ADD COLUMN nato_since text COLLATE "C" CHECK (nato_since ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');
ALTER TABLE countries ADD CONSTRAINT countries_eu_until_after_since CHECK (eu_until IS NULL OR (eu_since IS NOT NULL AND eu_until >= eu_since));
ALTER TABLE countries ADD COLUMN aliases text COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(aliases::jsonb) = 'array');

ALTER TABLE weapon_systems ADD COLUMN aliases text COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(aliases::jsonb) = 'array');

ALTER TABLE country_history ADD COLUMN eu_since text COLLATE "C";
ALTER TABLE country_history ADD COLUMN eu_until text COLLATE "C";
ALTER TABLE country_history ADD COLUMN nato_since text COLLATE "C";
ALTER TABLE country_history ADD COLUMN aliases text COLLATE "C" NOT NULL DEFAULT '[]';

ALTER TABLE weapon_system_history ADD COLUMN aliases text COLLATE "C" NOT NULL DEFAULT '[]';

-- What q reads of a reference entry: its name and its aliases, lower case, no accents, words of letters and digits.
CREATE FUNCTION reference_document(entry_name text, entry_aliases text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', regexp_replace(unaccent(concat_ws(' ', entry_name,
        (SELECT string_agg(alias, ' ') FROM jsonb_array_elements_text(entry_aliases::jsonb) AS alias))), '[^[:alnum:]]+', ' ', 'g'))
$$;

CREATE FUNCTION country_search(query text) RETURNS TABLE (code text)
LANGUAGE sql STABLE AS $$
    SELECT c.code FROM countries c WHERE reference_document(c.name, c.aliases) @@ to_tsquery('simple', unaccent(query))
$$;

CREATE FUNCTION weapon_system_search(query text) RETURNS TABLE (id text)
LANGUAGE sql STABLE AS $$
    SELECT w.id FROM weapon_systems w WHERE reference_document(w.name, w.aliases) @@ to_tsquery('simple', unaccent(query))
$$;
