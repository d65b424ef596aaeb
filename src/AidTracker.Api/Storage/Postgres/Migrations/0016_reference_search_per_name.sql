-- The reference lists' q finds an entry when one of its names matches: its name, or one alias, each read alone, so
-- that a phrase never spans two of them ("holland dutch"), as SQLite's search tables (one row per name and per
-- alias) answer too. Only the functions change: no row of any table does.
CREATE FUNCTION reference_term(term text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', regexp_replace(unaccent(term), '[^[:alnum:]]+', ' ', 'g'))
$$;

CREATE OR REPLACE FUNCTION country_search(query text) RETURNS TABLE (code text)
LANGUAGE sql STABLE AS $$
    SELECT c.code FROM countries c
    WHERE reference_term(c.name) @@ to_tsquery('simple', unaccent(query))
       OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(c.aliases::jsonb) AS alias
                  WHERE reference_term(alias) @@ to_tsquery('simple', unaccent(query)))
$$;

CREATE OR REPLACE FUNCTION weapon_system_search(query text) RETURNS TABLE (id text)
LANGUAGE sql STABLE AS $$
    SELECT w.id FROM weapon_systems w
    WHERE reference_term(w.name) @@ to_tsquery('simple', unaccent(query))
       OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(w.aliases::jsonb) AS alias
                  WHERE reference_term(alias) @@ to_tsquery('simple', unaccent(query)))
$$;

DROP FUNCTION reference_document(text, text);
