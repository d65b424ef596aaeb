-- Review of sources and packages (issue 18): like a donation (migration 0022), a source or a package is a draft,
-- published or rejected, and only published ones are public. Every source and package, and every version in their
-- histories, made before is published: they were public. review_comment is what the reviewer said. Both are versioned
-- with the row, so that an as-of read sees the state of its moment.
-- Nothing is lost: columns are added with defaults.
ALTER TABLE sources ADD COLUMN review_state TEXT NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected'));
ALTER TABLE sources ADD COLUMN review_comment TEXT CHECK (length(review_comment) <= 2000);
ALTER TABLE source_history ADD COLUMN review_state TEXT NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected'));
ALTER TABLE source_history ADD COLUMN review_comment TEXT;
ALTER TABLE packages ADD COLUMN review_state TEXT NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected'));
ALTER TABLE packages ADD COLUMN review_comment TEXT CHECK (length(review_comment) <= 2000);
ALTER TABLE package_history ADD COLUMN review_state TEXT NOT NULL DEFAULT 'published' CHECK (review_state IN ('draft', 'published', 'rejected'));
ALTER TABLE package_history ADD COLUMN review_comment TEXT;

-- The review queue, oldest first, beside donations_drafts.
CREATE INDEX sources_drafts ON sources (updated_at, id) WHERE deleted_at IS NULL AND review_state = 'draft';
CREATE INDEX packages_drafts ON packages (updated_at, id) WHERE deleted_at IS NULL AND review_state = 'draft';

-- What a trusted import checks, that none of its rows cites a source or names a package that is not published: the few
-- such records first, then their evidence or line items in the import's range (5 ms for 1M rows, where reading the
-- rows' evidence took 6 s).
CREATE INDEX sources_unpublished ON sources (id) WHERE review_state <> 'published';
CREATE INDEX packages_unpublished ON packages (id) WHERE review_state <> 'published';
