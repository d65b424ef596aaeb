-- PostgreSQL's migration of this number adds indexes for descending sorts with nulls last. SQLite orders nulls
-- first in an index, so a descending scan of donations_announced_on and donations_first_reported_on already gives
-- nulls last: nothing to do. The number keeps both engines' schema versions in step.
SELECT 1;
