-- 0017: the recoverable amounts a dunning step claims (costs: the Book XIX damages, the EUR 40
-- B2B compensation, the Dutch BIK; interest), how each payment is imputed on costs, interest and
-- principal (gateway/core/PaymentAllocation.h), and what the agency keeps of them at payout
-- (issue 9, item 6; docs/payments.md "What the agency keeps").

-- One row per amount a step claimed from the debtor. dossiers.open_minor grows by it in the same
-- transaction: the open amount is what the debtor is asked to pay (principal + claimed - paid).
-- What is still owed of a kind = its claims - the same kind's part of the dossier's live matches.
CREATE TABLE dossier_charges (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    kind TEXT NOT NULL CHECK (kind IN ('costs', 'interest')),
    amount_minor BIGINT NOT NULL,                 -- > 0
    currency TEXT NOT NULL,
    source TEXT NOT NULL,                         -- the dunning step that claimed it
    basis TEXT NOT NULL,                          -- the legal provision, as the text stated it
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, dossier_id, source, kind)
);
CREATE INDEX dossier_charges_by_dossier ON dossier_charges (dossier_id, id);

-- The imputation of each match (principal = amount_minor - interest_minor - costs_minor); matches
-- made before this migration are all principal.
ALTER TABLE payment_matches ADD COLUMN interest_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payment_matches ADD COLUMN costs_minor BIGINT NOT NULL DEFAULT 0;

-- What the agency keeps of the recoverable amounts at payout: none | costs | costs_and_interest.
ALTER TABLE creditors ADD COLUMN payout_keep TEXT NOT NULL DEFAULT 'none';

-- A payout: gross - fee - kept = amount_minor. An item: the part of the match the agency kept
-- (a clawback takes back exactly what its payout kept, negative).
ALTER TABLE payouts ADD COLUMN kept_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payout_items ADD COLUMN kept_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payout_items ADD COLUMN interest_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payout_items ADD COLUMN costs_minor BIGINT NOT NULL DEFAULT 0;
