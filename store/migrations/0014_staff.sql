-- Issue 14 item 2 and 3: staff admins, disabled users and the creditors' own API keys.
-- is_admin: a staff user who may use the admin pages (creditors, users). Staff that existed
-- before this migration were created on the command line by the operator: they become admins.
ALTER TABLE users ADD COLUMN is_admin BIGINT NOT NULL DEFAULT 0;
-- A disabled user cannot log in; their sessions are deleted when they are disabled.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
UPDATE users SET is_admin = 1 WHERE role = 'staff';

-- API keys a creditor's users create from the portal (the key is shown once; only its sha256 is
-- kept). creditors.api_key_hash (the key `creditor add` printed) keeps working beside them.
CREATE TABLE api_keys (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    UNIQUE (creditor_id, key_hash)
);
CREATE INDEX api_keys_by_hash ON api_keys (key_hash);
