-- Issue 14 items 3 and 4: a dispute resolved with a credit, and the language of a portal user's
-- own mails (notifications, digests).

-- A credit the creditor grants on a dossier (a credit note, usually after a dispute): it lowers
-- what the debtor owes on the principal, never the claimed costs or interest. dossiers.open_minor
-- falls by it in the same transaction. What is still owed on the principal =
-- open_minor - outstanding costs - outstanding interest (store/ChargeRepository.h).
CREATE TABLE dossier_credits (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX dossier_credits_by_dossier ON dossier_credits (dossier_id, id);

-- nl | fr | en, or NULL: English (the language notification mails had before).
ALTER TABLE users ADD COLUMN language TEXT;
