-- Review (issue 18): a donation is a draft, published or rejected, and only published ones are public. Every
-- donation and every version in its history made before is published: they were public. review_comment is what the
-- reviewer said when publishing or rejecting it. Both are versioned with the row, so that an as-of read or a release
-- sees the state of its moment. The rollup holds published donations only: its functions and update trigger are made
-- again with that condition (the rows in it are all published now, so it stays as it is).
-- API keys gain the reviewer role, and whether a key's writes are published directly (publishes): keys made before
-- keep doing what they did, so each publishes.
-- Nothing is lost: columns are added with defaults, and a check is widened.
ALTER TABLE donations
    ADD COLUMN review_state text COLLATE "C" NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected')),
    ADD COLUMN review_comment text CHECK (length(review_comment) <= 2000);
ALTER TABLE donation_history
    ADD COLUMN review_state text COLLATE "C" NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected')),
    ADD COLUMN review_comment text;

-- Every public read asks for live, published donations: each partial index of donations that serves them (WHERE
-- deleted_at IS NULL, and maybe more) is made again to hold those alone, so that the state is never read from the
-- table (the index-only scans of the stats stay index-only). A query for drafts reads donations_drafts, or the table.
DO $$
DECLARE
    i record;
BEGIN
    FOR i IN SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'donations' AND indexdef LIKE '% WHERE %deleted_at IS NULL%'
    LOOP
        EXECUTE format('DROP INDEX %I', i.indexname);
        EXECUTE regexp_replace(i.indexdef, ' WHERE (.*)$', ' WHERE (review_state = ''published'') AND \1');
    END LOOP;
END $$;

-- The review queue, oldest first.
CREATE INDEX donations_drafts ON donations (updated_at, id) WHERE deleted_at IS NULL AND review_state = 'draft';
ANALYZE donations;

CREATE OR REPLACE FUNCTION donation_rollup_add(d donations, sign bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    group_category text;
    group_month text := announced_period(d.announced_on, d.announced_on_precision);
BEGIN
    IF d.deleted_at IS NOT NULL OR d.review_state <> 'published' THEN RETURN; END IF;
    SELECT category INTO group_category FROM weapon_systems WHERE id = d.weapon_system;
    INSERT INTO donation_rollup AS r
    VALUES (d.donor, d.recipient, group_category, d.status, group_month, sign,
        sign * CASE WHEN d.quantity_qualifier IN ('exact', 'at_least') THEN d.quantity ELSE 0 END,
        sign * (d.quantity_qualifier = 'at_least')::int, sign * (d.quantity_qualifier = 'approximate')::int, sign * (d.quantity IS NULL)::int,
        sign * coalesce(d.quantity_delivered, 0), sign * d.deliveries_at_least, sign * d.deliveries_approximate, sign * d.deliveries_undisclosed,
        sign * coalesce(d.value_eur_cents, 0))
    ON CONFLICT (donor, recipient, category, status, month) DO UPDATE SET
        count = r.count + excluded.count, quantity_promised = r.quantity_promised + excluded.quantity_promised,
        quantity_promised_includes_at_least = r.quantity_promised_includes_at_least + excluded.quantity_promised_includes_at_least,
        quantity_promised_approximate_count = r.quantity_promised_approximate_count + excluded.quantity_promised_approximate_count,
        quantity_undisclosed = r.quantity_undisclosed + excluded.quantity_undisclosed,
        quantity_delivered = r.quantity_delivered + excluded.quantity_delivered,
        quantity_delivered_includes_at_least = r.quantity_delivered_includes_at_least + excluded.quantity_delivered_includes_at_least,
        quantity_delivered_approximate_count = r.quantity_delivered_approximate_count + excluded.quantity_delivered_approximate_count,
        quantity_delivered_undisclosed = r.quantity_delivered_undisclosed + excluded.quantity_delivered_undisclosed,
        value_eur_cents = r.value_eur_cents + excluded.value_eur_cents;
    IF sign < 0 THEN
        DELETE FROM donation_rollup r
        WHERE r.donor = d.donor AND r.recipient = d.recipient AND r.category = group_category AND r.status = d.status
            AND r.month = group_month AND r.count = 0;
    END IF;
END $$;

DROP TRIGGER donation_rollup_after_update ON donations;
CREATE TRIGGER donation_rollup_after_update
    AFTER UPDATE OF donor, recipient, weapon_system, status, announced_on, announced_on_precision, quantity, quantity_qualifier,
        value_eur_cents, deleted_at, review_state, quantity_delivered, deliveries_at_least, deliveries_approximate, deliveries_undisclosed ON donations
    FOR EACH ROW EXECUTE FUNCTION donation_rollup_after_update();

CREATE OR REPLACE FUNCTION donation_rollup_after_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.category = new.category THEN RETURN NULL; END IF;
    DELETE FROM donation_rollup WHERE category IN (old.category, new.category);
    INSERT INTO donation_rollup
    SELECT d.donor, d.recipient, w.category, d.status, announced_period(d.announced_on, d.announced_on_precision),
        count(*),
        coalesce(sum(CASE WHEN d.quantity_qualifier IN ('exact', 'at_least') THEN d.quantity END), 0),
        sum(CASE WHEN d.quantity_qualifier = 'at_least' THEN 1 ELSE 0 END),
        sum(CASE WHEN d.quantity_qualifier = 'approximate' THEN 1 ELSE 0 END),
        count(*) - count(d.quantity),
        coalesce(sum(d.quantity_delivered), 0), sum(d.deliveries_at_least), sum(d.deliveries_approximate), sum(d.deliveries_undisclosed),
        coalesce(sum(d.value_eur_cents), 0)
    FROM donations d JOIN weapon_systems w ON w.id = d.weapon_system
    WHERE d.deleted_at IS NULL AND d.review_state = 'published' AND w.category IN (old.category, new.category)
    GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END $$;

ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('reader', 'editor', 'reviewer', 'admin'));
ALTER TABLE api_keys ADD COLUMN publishes bigint NOT NULL DEFAULT 1 CHECK (publishes IN (0, 1));
