-- API keys may expire, and say when they were last used (to the minute). A key being rotated out has revoked_at in
-- the future: it works until then, and leaves the one-active-key-per-name index at once, so its successor can take
-- the name.
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
