-- 0008: what every process and every host needs lives in the store (issue 13): raw bytes when the
-- blob store is the database (PostgreSQL: every host reads what any host received), shared secrets
-- such as the debtor-link key, and a lease on inbound items so several processes share the ingest.

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,                      -- content address (lower-case hex); not tenant data
    size BIGINT NOT NULL,
    data TEXT NOT NULL,                           -- base64 of the bytes (one dialect-neutral column type)
    created_at TEXT NOT NULL
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,                        -- e.g. 'link_secret'
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);

ALTER TABLE inbound_items ADD COLUMN lease_until TEXT;   -- a worker's claim; NULL or past = free
