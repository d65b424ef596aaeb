-- List pages sort nullable keys with nulls last in both directions (DonationSort). PostgreSQL's b-tree indexes hold
-- ascending nulls last, so scanned backwards they give descending nulls *first*: sort=-announced_on sorted every live
-- donation per page (6 pages/s on 1M rows, p50 1.3 s). These indexes hold the descending order itself. Nothing
-- stored changes.
CREATE INDEX donations_announced_on_desc ON donations (announced_on DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX donations_first_reported_on_desc ON donations (first_reported_on DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
ANALYZE donations;
