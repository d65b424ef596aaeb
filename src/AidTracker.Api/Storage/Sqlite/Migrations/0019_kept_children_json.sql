-- Each donation keeps the JSON of its deliveries (each with its evidence) and of its evidence, with each cited
-- source's title, as a list item shows them: every write of its children sets them, and so does a change to a source
-- it cites (DonationChildren.JsonSet). A list page of 50 items built them with four correlated subqueries per item,
-- most of the page's time (issue 17: 0.48x the list pages before it). They are not versioned: an as-of read builds
-- them from history, where a source's title is the one it had at the moment asked.
-- Nothing is lost: two columns are added and filled from rows that stay as they are, with the SQL the code runs.
ALTER TABLE donations ADD COLUMN deliveries_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE donations ADD COLUMN evidence_json TEXT NOT NULL DEFAULT '[]';

UPDATE donations SET deliveries_json = (SELECT '[' || coalesce(group_concat(json_object('id', x.id, 'delivered_on', CASE x.delivered_on_precision WHEN 'year' THEN substr(x.delivered_on, 1, 4) WHEN 'month' THEN substr(x.delivered_on, 1, 7) ELSE x.delivered_on END, 'quantity', x.quantity, 'quantity_qualifier', x.quantity_qualifier, 'notes', x.notes, 'evidence', json((SELECT '[' || coalesce(group_concat(json_object('id', e.id, 'source', e.source_id, 'source_title', coalesce(s.title, s.citation, s.url), 'quote', e.quote, 'locator', e.locator, 'credibility', e.credibility, 'supports', json('["' || replace(e.supports, ',', '","') || '"]')), ',' ORDER BY e.id), '') || ']' FROM evidence e LEFT JOIN sources s ON s.id = e.source_id WHERE e.delivery_id = x.id))), ',' ORDER BY x.id), '') || ']' FROM deliveries x WHERE x.donation_id = donations.id),
    evidence_json = (SELECT '[' || coalesce(group_concat(json_object('id', e.id, 'source', e.source_id, 'source_title', coalesce(s.title, s.citation, s.url), 'quote', e.quote, 'locator', e.locator, 'credibility', e.credibility, 'supports', json('["' || replace(e.supports, ',', '","') || '"]')), ',' ORDER BY e.id), '') || ']' FROM evidence e LEFT JOIN sources s ON s.id = e.source_id WHERE e.donation_id = donations.id AND e.delivery_id IS NULL);
