-- 0007: the portal (issue 14): what the debtor does through a personal link and the bounds on it.
-- Promises and payment plans belong to the dunning engine (0004: promises, payment_plans); until
-- its services are merged, the debtor page records them as events with their details in `data`.
-- Tenant tables carry creditor_id; every UNIQUE includes it.

-- POSTs per link per UTC hour (rate limit: a link gets 429 past the bound). One row per hour;
-- INSERT ... ON CONFLICT DO UPDATE counts atomically on both dialects.
CREATE TABLE link_post_counts (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    link_id BIGINT NOT NULL REFERENCES link_tokens(id),
    hour TEXT NOT NULL,                           -- 'YYYY-MM-DDTHH' (UTC)
    posts BIGINT NOT NULL,
    UNIQUE (creditor_id, link_id, hour)
);

-- The debtor confirmed receipt and acceptance of the invoice(s) of a dossier (once per dossier).
-- After it, a "never received" dispute is not taken at face value: it needs a person (a task).
CREATE TABLE invoice_acceptances (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    link_id BIGINT REFERENCES link_tokens(id),    -- the personal link it came through
    accepted_at TEXT NOT NULL,
    remote_address TEXT,
    UNIQUE (creditor_id, dossier_id)
);

-- Disputes opened by the debtor (or staff): reason code, free text and an optional attachment.
CREATE TABLE disputes (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    link_id BIGINT REFERENCES link_tokens(id),
    reason TEXT NOT NULL CHECK (reason IN ('not_received', 'amount_wrong', 'already_paid', 'quality', 'other')),
    message TEXT NOT NULL,
    document_id BIGINT REFERENCES documents(id), -- the attachment (blob + document; name for display only)
    after_acceptance BIGINT NOT NULL DEFAULT 0,   -- 1: opened after the invoice was accepted
    state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX disputes_by_dossier ON disputes (dossier_id, id);

-- Every change of a debtor's contact details, field by field, with where it came from.
CREATE TABLE contact_changes (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    debtor_id BIGINT NOT NULL REFERENCES debtors(id),
    dossier_id BIGINT REFERENCES dossiers(id),
    link_id BIGINT REFERENCES link_tokens(id),
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX contact_changes_by_debtor ON contact_changes (debtor_id, id);
