-- Each donation keeps the totals of its deliveries, as every write leaves them (DonationChildren.RefreshDelivered):
-- the sum of the exact and at-least quantities (null when none is known) and how many instalments are at least,
-- approximate or undisclosed. Stats read these instead of joining every selected donation to its deliveries. Each
-- history version keeps the totals of the deliveries it kept (delivery_history), so that as-of stats read them too.
-- Nothing is lost: four columns are added and filled from rows that stay as they are.
ALTER TABLE donations
    ADD COLUMN quantity_delivered bigint CHECK (quantity_delivered >= 0),
    ADD COLUMN deliveries_at_least bigint NOT NULL DEFAULT 0 CHECK (deliveries_at_least >= 0),
    ADD COLUMN deliveries_approximate bigint NOT NULL DEFAULT 0 CHECK (deliveries_approximate >= 0),
    ADD COLUMN deliveries_undisclosed bigint NOT NULL DEFAULT 0 CHECK (deliveries_undisclosed >= 0);
ALTER TABLE donation_history
    ADD COLUMN quantity_delivered bigint,
    ADD COLUMN deliveries_at_least bigint NOT NULL DEFAULT 0,
    ADD COLUMN deliveries_approximate bigint NOT NULL DEFAULT 0,
    ADD COLUMN deliveries_undisclosed bigint NOT NULL DEFAULT 0;

UPDATE donations d SET
    quantity_delivered = t.known, deliveries_at_least = t.at_least, deliveries_approximate = t.approximate, deliveries_undisclosed = t.undisclosed
FROM (SELECT donation_id,
        sum(quantity) FILTER (WHERE quantity_qualifier IN ('exact', 'at_least')) AS known,
        count(*) FILTER (WHERE quantity_qualifier = 'at_least') AS at_least,
        count(*) FILTER (WHERE quantity_qualifier = 'approximate') AS approximate,
        count(*) FILTER (WHERE quantity_qualifier = 'undisclosed') AS undisclosed
    FROM deliveries GROUP BY donation_id) t
WHERE t.donation_id = d.id;

-- History is append-only; the new columns of its versions are filled once, here, from the deliveries each version kept.
ALTER TABLE donation_history DISABLE TRIGGER donation_history_is_append_only;
UPDATE donation_history h SET
    quantity_delivered = t.known, deliveries_at_least = t.at_least, deliveries_approximate = t.approximate, deliveries_undisclosed = t.undisclosed
FROM (SELECT donation_id, donation_version,
        sum(quantity) FILTER (WHERE quantity_qualifier IN ('exact', 'at_least')) AS known,
        count(*) FILTER (WHERE quantity_qualifier = 'at_least') AS at_least,
        count(*) FILTER (WHERE quantity_qualifier = 'approximate') AS approximate,
        count(*) FILTER (WHERE quantity_qualifier = 'undisclosed') AS undisclosed
    FROM delivery_history GROUP BY donation_id, donation_version) t
WHERE t.donation_id = h.donation_id AND t.donation_version = h.version;
ALTER TABLE donation_history ENABLE TRIGGER donation_history_is_append_only;
