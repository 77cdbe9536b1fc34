-- 0002: intake trusts senders, one payee per dossier, and tasks for people (DESIGN.md "Money,
-- replies and trust"). Same file on SQLite and PostgreSQL.

-- How debtors of this creditor pay: 'creditor' (the creditor's own registered IBAN with the
-- invoice's reference) or 'agency' (the agency's client account, [agency], with the dossier's OGM).
ALTER TABLE creditors ADD COLUMN collect_to TEXT NOT NULL DEFAULT 'agency' CHECK (collect_to IN ('creditor', 'agency'));
ALTER TABLE creditors ADD COLUMN policy TEXT;                              -- dunning policy name; NULL = default per regime
ALTER TABLE creditors ADD COLUMN fee_basis_points BIGINT NOT NULL DEFAULT 0;  -- agency fee on payouts (100 = 1 %)
ALTER TABLE creditors ADD COLUMN sender_auth TEXT NOT NULL DEFAULT 'none' CHECK (sender_auth IN ('none', 'spf_or_dkim'));

-- Who may send invoices to the creditor's intake: 'a@b.c' (an address) or '@b.c' (a whole domain),
-- lower-cased. The creditor's own e-mail and its portal users' addresses are authorised too.
CREATE TABLE creditor_senders (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    pattern TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, pattern)
);

-- Every IBAN the creditor registered; an invoice naming another payee IBAN is held for review.
CREATE TABLE creditor_ibans (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    iban TEXT NOT NULL,                           -- electronic form, validated
    bic TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, iban)
);
INSERT INTO creditor_ibans (creditor_id, iban, bic, created_at)
    SELECT id, iban, bic, created_at FROM creditors WHERE iban IS NOT NULL;
-- Creditors created before this migration with an IBAN of their own keep being paid directly.
UPDATE creditors SET collect_to = 'creditor' WHERE iban IS NOT NULL;

-- The payee of a dossier is fixed at creation: every text, page, QR code and the matcher read it here.
ALTER TABLE dossiers ADD COLUMN payee_name TEXT;
ALTER TABLE dossiers ADD COLUMN payee_iban TEXT;
ALTER TABLE dossiers ADD COLUMN payee_bic TEXT;
ALTER TABLE dossiers ADD COLUMN payment_reference TEXT;       -- '+++123/4567/89002+++' or 'RF..': what the debtor uses
ALTER TABLE dossiers ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0;  -- sum of live payment matches
ALTER TABLE dossiers ADD COLUMN language TEXT;                -- nl | fr | en: the debtor's language for this dossier
ALTER TABLE dossiers ADD COLUMN case_manager_id BIGINT REFERENCES users(id);
ALTER TABLE dossiers ADD COLUMN hold_reason TEXT;             -- why a 'draft' dossier is held for review

-- Work for people: calls, replies, disputes, plan requests, bounces without fallback, reviews.
CREATE TABLE tasks (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT REFERENCES dossiers(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    details TEXT,
    priority BIGINT NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),   -- 1 high .. 3 low
    due_date TEXT NOT NULL,                       -- 'YYYY-MM-DD'
    assignee_id BIGINT REFERENCES users(id),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled')),
    dedupe_key TEXT NOT NULL,                     -- one task per decision, e.g. 'review:invoice:17'
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_by BIGINT REFERENCES users(id),
    UNIQUE (creditor_id, dedupe_key)
);
CREATE INDEX tasks_open ON tasks (state, due_date, id);
CREATE INDEX tasks_by_dossier ON tasks (dossier_id, id);
