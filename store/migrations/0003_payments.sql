-- 0003: payments. Bank statements imported once, their lines matched to dossiers, surpluses kept
-- as debtor credits, and weekly payouts (issue 9; docs/payments.md).
--
-- Who owns a line. A statement belongs to the bank account it reports on:
--   * a creditor's registered IBAN ('creditor' mode): account_owner = 'creditor:<id>' and
--     creditor_id = that creditor;
--   * the agency's client account ([agency] iban): account_owner = 'agency' and creditor_id NULL:
--     such a line belongs to no creditor until it is matched; a creditor sees it through its
--     matches (payment_matches.creditor_id), staff see all.
-- account_owner is never NULL, so it can carry the UNIQUE natural keys on both dialects (NULLs are
-- distinct in a UNIQUE constraint, which would let duplicates of agency lines in).
--
-- Lines are facts and never edited. What the matcher and the finance team decided about a line
-- lives in line_states (one row per line, written in the same transaction as the line with state
-- 'new', i.e. not yet seen by the matcher) and in payment_matches (one row per applied amount; an
-- undo fills undone_at, the amount then no longer counts). dossiers.paid_minor = the sum of the
-- dossier's live matches, kept in the same transaction as every match and undo.

CREATE TABLE statements (
    id {{ID}},
    account_owner TEXT NOT NULL,                  -- 'agency' | 'creditor:<id>'
    creditor_id BIGINT REFERENCES creditors(id),  -- NULL on the agency's client account
    account_iban TEXT NOT NULL,
    currency TEXT NOT NULL,
    statement_key TEXT NOT NULL,                  -- identity: kind|number|sequence|opening date|closing date
    kind TEXT NOT NULL,                           -- statement | notification | report | interim
    format TEXT NOT NULL,                         -- coda | camt | mt940
    number TEXT,
    sequence TEXT,
    opening_date TEXT,
    opening_minor BIGINT,
    closing_date TEXT,
    closing_minor BIGINT,
    balance_gap BIGINT NOT NULL DEFAULT 0,        -- 1: opening balance <> the previous statement's closing
    gap_detail TEXT,
    file_sha256 TEXT NOT NULL,                    -- raw file in the blob store (first file it came in)
    inbound_item_id BIGINT REFERENCES inbound_items(id),
    entries BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (account_owner, account_iban, currency, statement_key)
);
CREATE INDEX statements_by_account ON statements (account_owner, account_iban, currency, closing_date);

CREATE TABLE statement_lines (
    id {{ID}},
    statement_id BIGINT NOT NULL REFERENCES statements(id),
    account_owner TEXT NOT NULL,
    creditor_id BIGINT REFERENCES creditors(id),  -- the account's creditor; NULL on the agency's account
    account_iban TEXT NOT NULL,
    line_key TEXT NOT NULL,                       -- natural key within the account, see PaymentRepository.h
    booking_date TEXT,
    value_date TEXT,
    amount_minor BIGINT NOT NULL,                 -- signed: credit > 0
    currency TEXT NOT NULL,
    exponent BIGINT NOT NULL,                     -- of the amount as the bank gave it (CODA: 3 when not exact)
    counterparty_name TEXT,
    counterparty_iban TEXT,
    counterparty_bic TEXT,
    reference_kind TEXT,                          -- ogm | rf | other
    reference TEXT,
    remittance TEXT,
    bank_reference TEXT,
    end_to_end_id TEXT,
    reversal BIGINT NOT NULL DEFAULT 0,
    return_reason TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (account_owner, account_iban, line_key)
);
CREATE INDEX statement_lines_by_statement ON statement_lines (statement_id, id);

CREATE TABLE line_states (
    line_id BIGINT PRIMARY KEY REFERENCES statement_lines(id),
    account_owner TEXT NOT NULL,
    creditor_id BIGINT REFERENCES creditors(id),  -- the account's creditor, NULL on the agency's account
    -- new (not yet seen by the matcher) | matched | suggested | review | unmatched | not_ours |
    -- refund | bank_costs | ignored (debits that pay nothing) | reversed (a reversal that undid a match)
    state TEXT NOT NULL,
    rule TEXT,
    reason TEXT,
    suggestions TEXT,                             -- JSON [{"dossier", "score", "reason"}]
    applied_minor BIGINT NOT NULL DEFAULT 0,      -- live matches of the line, plus its open surplus
    updated_at TEXT NOT NULL
);
CREATE INDEX line_states_by_state ON line_states (state, account_owner, line_id);

CREATE TABLE payment_matches (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    line_id BIGINT NOT NULL REFERENCES statement_lines(id),
    account_owner TEXT NOT NULL,                  -- of the line: payouts take the 'agency' ones
    amount_minor BIGINT NOT NULL,                 -- > 0
    currency TEXT NOT NULL,
    rule TEXT NOT NULL,                           -- the matcher's rule, or manual / confirmed
    fields TEXT,                                  -- line fields the rule used, comma-separated
    actor TEXT NOT NULL,                          -- matcher | user:<id> <email> | api:creditor:<id>
    created_at TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    undo_reason TEXT
);
CREATE INDEX payment_matches_by_line ON payment_matches (line_id);
CREATE INDEX payment_matches_by_dossier ON payment_matches (dossier_id);
CREATE INDEX payment_matches_by_creditor ON payment_matches (creditor_id, account_owner, created_at);

CREATE TABLE debtor_credits (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    debtor_id BIGINT NOT NULL REFERENCES debtors(id),
    dossier_id BIGINT REFERENCES dossiers(id),    -- the dossier the overpayment was for
    line_id BIGINT NOT NULL REFERENCES statement_lines(id),
    amount_minor BIGINT NOT NULL,
    currency TEXT NOT NULL,
    state TEXT NOT NULL,                          -- open | refunded | cancelled (the match was undone)
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX debtor_credits_by_line ON debtor_credits (line_id);

-- What a person (or an API key) did with a line: confirm, match, mark, undo. Also for agency lines
-- that belong to no creditor yet (events need one), so every action names its actor somewhere.
CREATE TABLE payment_actions (
    id {{ID}},
    line_id BIGINT NOT NULL REFERENCES statement_lines(id),
    creditor_id BIGINT REFERENCES creditors(id),
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL
);
CREATE INDEX payment_actions_by_line ON payment_actions (line_id, id);

CREATE TABLE payouts (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    currency TEXT NOT NULL,
    period_end TEXT NOT NULL,                     -- 'YYYY-MM-DD': matches booked up to and including this day
    gross_minor BIGINT NOT NULL,
    fee_minor BIGINT NOT NULL,
    amount_minor BIGINT NOT NULL,                 -- transferred: gross - fee
    payments BIGINT NOT NULL,
    end_to_end_id TEXT NOT NULL,
    file_name TEXT,                               -- the pain.001 file of the run
    statement_sha256 TEXT,                        -- the CSV payout statement in the blob store
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, currency, period_end)
);

-- Which match a payout paid (kind 'paid') or took back after an undo (kind 'clawback'): a match is
-- paid out at most once and taken back at most once.
CREATE TABLE payout_items (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    payout_id BIGINT NOT NULL REFERENCES payouts(id),
    match_id BIGINT NOT NULL REFERENCES payment_matches(id),
    kind TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,                 -- signed: paid > 0, clawback < 0
    UNIQUE (creditor_id, match_id, kind)
);
