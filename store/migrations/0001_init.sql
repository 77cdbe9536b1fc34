-- 0001: the foundation schema. The same file runs on SQLite and PostgreSQL: {{ID}} becomes the
-- dialect's auto-increment primary key. Times are UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (sortable
-- on both); dates are 'YYYY-MM-DD'; money is BIGINT minor units next to a currency column.
-- Every tenant table carries creditor_id (DESIGN.md: distribute by creditor later).

CREATE TABLE creditors (
    id {{ID}},
    name TEXT NOT NULL,
    intake_address TEXT NOT NULL UNIQUE,          -- lower-cased
    email TEXT,                                   -- a known sender address of the creditor
    iban TEXT,
    bic TEXT,
    api_key_hash TEXT NOT NULL UNIQUE,            -- sha256 hex of the API key; the key itself is never stored
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    creditor_id BIGINT REFERENCES creditors(id),  -- NULL for agency staff
    email TEXT NOT NULL UNIQUE,                   -- lower-cased
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('creditor', 'staff')),
    password_hash TEXT NOT NULL,                  -- Argon2id encoded string
    created_at TEXT NOT NULL
);

CREATE TABLE portal_sessions (
    token_hash TEXT PRIMARY KEY,                  -- sha256 hex of the cookie value
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE debtors (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    match_key TEXT NOT NULL,                      -- how the creditor identifies it: VAT id, endpoint or e-mail
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    vat_id TEXT,
    company_id TEXT,
    street TEXT,
    postcode TEXT,
    city TEXT,
    country TEXT,
    language TEXT,
    kind TEXT NOT NULL DEFAULT 'business' CHECK (kind IN ('business', 'consumer')),
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, match_key)
);

CREATE TABLE dossiers (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    debtor_id BIGINT NOT NULL REFERENCES debtors(id),
    reference TEXT NOT NULL,                      -- the agency's dossier reference, e.g. D2026-000123
    status TEXT NOT NULL CHECK (status IN ('draft','active','promised','plan','disputed','paid','closed','legal')),
    currency TEXT NOT NULL,
    open_minor BIGINT NOT NULL,
    ogm TEXT,                                     -- 12 digits of the structured reference for payment
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (creditor_id, reference)
);
CREATE INDEX dossiers_by_creditor ON dossiers (creditor_id, id);

CREATE TABLE documents (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    sha256 TEXT NOT NULL,                         -- content address in the blob store
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    filename TEXT NOT NULL,                       -- as sent; display only, never a path
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, sha256)
);

CREATE TABLE inbound_items (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    kind TEXT NOT NULL CHECK (kind IN ('mail', 'file', 'sms', 'webhook')),
    sha256 TEXT NOT NULL,                         -- raw bytes in the blob store
    size BIGINT NOT NULL,
    message_id TEXT,                              -- mail Message-ID, when present
    mail_from TEXT,
    rcpt_to TEXT,
    remote_address TEXT,
    state TEXT NOT NULL CHECK (state IN ('received', 'parsed', 'applied', 'quarantined')),
    error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (creditor_id, kind, sha256)
);
-- Idempotent by natural key: the same Message-ID to the same creditor is one item.
CREATE UNIQUE INDEX inbound_items_message_id ON inbound_items (creditor_id, message_id);
CREATE INDEX inbound_items_by_state ON inbound_items (state, id);

CREATE TABLE invoices (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    document_type TEXT NOT NULL,                  -- Invoice | CreditNote
    number TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    due_date TEXT,
    payment_reference TEXT,                       -- OGM digits or RF as the creditor wrote it
    document_id BIGINT REFERENCES documents(id),  -- the UBL or PDF original
    rendering_document_id BIGINT REFERENCES documents(id),  -- the PDF rendering, when there is one
    source_item_id BIGINT REFERENCES inbound_items(id),
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, document_type, number)
);

CREATE TABLE events (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT REFERENCES dossiers(id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT,
    summary TEXT NOT NULL,
    data TEXT                                     -- JSON details
);
CREATE INDEX events_by_dossier ON events (dossier_id, id);

CREATE TABLE outbound_messages (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT REFERENCES dossiers(id),
    dedupe_key TEXT NOT NULL,                     -- e.g. 'ack:item:17', 'notice:dossier:5'; one row per decision
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
    purpose TEXT NOT NULL,                        -- ack, quarantine_reply, payment_notice, reminder, ...
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    message_id TEXT,                              -- our Message-ID, so bounces can be matched
    state TEXT NOT NULL CHECK (state IN ('planned','sending','sent','delivered','failed','bounced')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    provider_id TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (creditor_id, dedupe_key)
);
CREATE INDEX outbound_due ON outbound_messages (state, next_attempt_at);

CREATE TABLE link_tokens (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    nonce TEXT NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,                     -- 'YYYY-MM-DD' (last valid day, UTC)
    revoked_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE counters (
    name TEXT PRIMARY KEY,                        -- e.g. 'dossier_reference:2026'
    value BIGINT NOT NULL
);
