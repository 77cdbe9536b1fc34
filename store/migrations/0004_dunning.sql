-- 0004: the dunning engine (issue 10): what the daily run did per dossier, and the promises and
-- payment plans that pause it. Tenant tables carry creditor_id; every UNIQUE includes it.

-- One row per step the run carried out for a dossier: a policy step sent (step = the step id), a
-- call task created (step = the planner's key "call:..."), or a plan instalment reminder
-- ("instalment:N:YYYY-MM-DD"). The UNIQUE constraint, not an `if`, is what keeps a second run, a
-- second process or a restart mid-run from queueing a step twice.
CREATE TABLE dunning_steps (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    step TEXT NOT NULL,
    policy TEXT NOT NULL,                         -- the policy the dossier follows (kept once chosen)
    effect TEXT NOT NULL DEFAULT 'none',          -- none | first_free_reminder | formal_notice | claim_costs | lawyer_handover | task
    run_date TEXT NOT NULL,                       -- the local civil day of the run, 'YYYY-MM-DD'
    channels TEXT NOT NULL DEFAULT '',            -- channels used, comma separated ('email,letter')
    received_on TEXT,                             -- NL 14-day letter: known day of receipt, when known
    term_last_day TEXT,                           -- a term-starting step: last day of the legal term
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, dossier_id, step)
);
CREATE INDEX dunning_steps_by_dossier ON dunning_steps (dossier_id, id);
CREATE INDEX dossiers_by_debtor ON dossiers (debtor_id, id);
CREATE INDEX dossiers_by_status ON dossiers (status, id);

-- A debtor's promise to pay by a date (debtor page, phone, staff). While one is open the dossier
-- is 'promised' and nothing is sent until promised_date + the policy's grace.
CREATE TABLE promises (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    made_on TEXT NOT NULL,                        -- 'YYYY-MM-DD'
    promised_date TEXT NOT NULL,                  -- 'YYYY-MM-DD'
    amount_minor BIGINT,                          -- NULL: the whole open amount
    currency TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'kept', 'broken', 'cancelled')),
    source TEXT NOT NULL,                         -- debtor_page | phone | staff | mail
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX promises_by_dossier ON promises (dossier_id, id);

-- A payment plan: requested by the debtor, approved automatically within the policy's limits or by
-- a person. While it is 'active' the dossier is 'plan': one reminder per instalment, a missed
-- instalment makes a task and ends the plan ('broken').
CREATE TABLE payment_plans (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    state TEXT NOT NULL CHECK (state IN ('requested', 'active', 'completed', 'broken', 'cancelled', 'refused')),
    instalments BIGINT NOT NULL,
    first_date TEXT NOT NULL,                     -- 'YYYY-MM-DD'
    total_minor BIGINT NOT NULL,                  -- the open amount the plan covers
    open_at_start_minor BIGINT NOT NULL,          -- dossiers.open_minor when the plan started: paid = start - open now
    currency TEXT NOT NULL,
    requested_on TEXT NOT NULL,
    approved_by TEXT,                             -- 'policy' (automatic) or a user e-mail
    approved_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payment_plans_by_dossier ON payment_plans (dossier_id, id);

CREATE TABLE plan_instalments (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    plan_id BIGINT NOT NULL REFERENCES payment_plans(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    seq BIGINT NOT NULL,                          -- 1, 2, ...
    due_date TEXT NOT NULL,                       -- 'YYYY-MM-DD'
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    UNIQUE (creditor_id, plan_id, seq)
);
CREATE INDEX plan_instalments_by_dossier ON plan_instalments (dossier_id, seq);

-- Book XIX (Art. XIX.2 CEL) requires the creditor's enterprise number and a description of the
-- product or service in the first reminder: kept from the UBL seller and invoice lines at intake.
ALTER TABLE creditors ADD COLUMN enterprise_number TEXT;
ALTER TABLE invoices ADD COLUMN description TEXT;

-- The run reads a page of dossiers' bounced messages by dossier id range.
CREATE INDEX outbound_dunning_by_dossier ON outbound_messages (dossier_id, state);
-- ... and each dossier's invoices (due date, amounts) by dossier id.
CREATE INDEX invoices_dunning_by_dossier ON invoices (dossier_id, id);
