-- 0013: the creditor's side of the portal (issue 14 item 2): notification settings per user and the
-- daily digest, outbound webhooks to the creditor's systems (endpoints and deliveries; the sending
-- itself is an outbox row of the new channel 'webhook'), and the cursors of the jobs that read the
-- events table. Widening a CHECK constraint cannot be written the same way on both stores: the
-- `-- dialect:` parts below (store/Migrations.cpp).

CREATE TABLE notification_settings (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    topic TEXT NOT NULL CHECK (topic IN ('payment', 'dispute', 'reply', 'question', 'payout')),
    mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest', 'never')),
    updated_at TEXT NOT NULL,
    UNIQUE (creditor_id, user_id, topic)
);

-- What a user chose to read in the daily digest, one row per (user, event); sent_on is the digest's day.
CREATE TABLE notification_digest_items (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    topic TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_on TEXT,
    UNIQUE (creditor_id, user_id, event_id)
);
CREATE INDEX notification_digest_pending ON notification_digest_items (sent_on, user_id);

CREATE TABLE webhook_endpoints (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,                         -- HMAC-SHA256 key; shown once to the creditor
    events TEXT NOT NULL,                         -- comma list of: paid, dispute, promise, reply
    active BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, id)
);

-- One row per (endpoint, event): the UNIQUE constraint makes every event one delivery, however
-- often the job scans it; attempts and state live on the outbox row, the last HTTP status here.
CREATE TABLE webhook_deliveries (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    event_type TEXT NOT NULL,                     -- dossier.paid | dispute.opened | promise.recorded | reply.received
    outbound_message_id BIGINT REFERENCES outbound_messages(id),
    last_status BIGINT,                           -- HTTP status of the last attempt; NULL: no answer
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (creditor_id, endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_by_message ON webhook_deliveries (outbound_message_id);
CREATE INDEX webhook_deliveries_by_creditor ON webhook_deliveries (creditor_id, id);

-- How far a job has read the events table (not tenant data).
CREATE TABLE event_cursors (
    name TEXT PRIMARY KEY,                        -- webhooks | notifications
    last_event_id BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Where the jobs start: after every event that exists when this migration runs, so an upgraded
-- store does not mail its users about its whole history. 'start' rows are the floor below which
-- the jobs never read again (they re-read a few ids behind their cursor for late commits).
INSERT INTO event_cursors (name, last_event_id, updated_at)
    SELECT 'notifications', COALESCE(MAX(id), 0), 'migration 0013' FROM events;
INSERT INTO event_cursors (name, last_event_id, updated_at)
    SELECT 'notifications:start', COALESCE(MAX(id), 0), 'migration 0013' FROM events;
INSERT INTO event_cursors (name, last_event_id, updated_at)
    SELECT 'webhooks', COALESCE(MAX(id), 0), 'migration 0013' FROM events;
INSERT INTO event_cursors (name, last_event_id, updated_at)
    SELECT 'webhooks:start', COALESCE(MAX(id), 0), 'migration 0013' FROM events;

-- The outbox learns the channel 'webhook'.
-- dialect: postgresql
ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('email', 'sms', 'letter', 'webhook'));
-- dialect: sqlite
-- SQLite cannot alter a CHECK constraint; its documented way (sqlite.org/lang_altertable.html,
-- "other kinds of table schema changes") edits the stored CREATE TABLE text and bumps the schema version.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''sms'', ''letter''))', '''sms'', ''letter'', ''webhook''))') WHERE type = 'table' AND name = 'outbound_messages';
PRAGMA schema_version = {{SCHEMA_VERSION_NEXT}};
PRAGMA writable_schema = OFF;
-- dialect: all

-- Documents that belong to a dossier beyond its invoices: the creditor's terms and conditions
-- uploaded with a new dossier (role 'terms'), shown in the workspace and the legal file.
CREATE TABLE dossier_documents (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, dossier_id, document_id)
);
