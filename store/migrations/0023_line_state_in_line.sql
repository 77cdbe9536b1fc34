-- 0023: a statement line carries its own state; line_states is folded into statement_lines
-- (issue 9 item 8; docs/store.md, "A line's state in its own row"; docs/performance.md,
-- "Statement import").
--
-- A statement import wrote two rows per entry: the line, then its state with the matcher's verdict.
-- Now it decides the verdict first and writes one row with both (PostgreSQL: one COPY instead of
-- two; SQLite: one INSERT instead of two, and one B-tree instead of two with their indexes). The
-- line's facts are still never edited; only the state columns move (the matcher, the finance
-- team's actions, an undo), as line_states' did.
--   state         new (not yet seen by the matcher) | matched | suggested | review | unmatched |
--                 not_ours | refund | bank_costs | ignored | reversed, as line_states.state was
--   rule, reason, suggestions (JSON [{"dossier", "score", "reason"}]), applied_minor: as in line_states
--   state_updated_at  when the state last moved; NULL while it is the one the line was stored with
--                 (its created_at)
-- The matcher's work list (state 'new') is a partial index: a line stored with its verdict, as every
-- imported line is, adds no entry to it.
ALTER TABLE statement_lines ADD COLUMN state TEXT NOT NULL DEFAULT 'new';
ALTER TABLE statement_lines ADD COLUMN rule TEXT;
ALTER TABLE statement_lines ADD COLUMN reason TEXT;
ALTER TABLE statement_lines ADD COLUMN suggestions TEXT;
ALTER TABLE statement_lines ADD COLUMN applied_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE statement_lines ADD COLUMN state_updated_at TEXT;
UPDATE statement_lines SET state = s.state, rule = s.rule, reason = s.reason, suggestions = s.suggestions,
    applied_minor = s.applied_minor, state_updated_at = s.updated_at
    FROM line_states s WHERE s.line_id = statement_lines.id;
DROP TABLE line_states;
CREATE INDEX statement_lines_new ON statement_lines (account_owner, id) WHERE state = 'new';
-- On PostgreSQL the reference payment_matches.line_id -> statement_lines goes too, as 0022's did:
-- its check is a trigger per match row that reads the line and locks it (FOR KEY SHARE), i.e.
-- dirties and WAL-logs the line's page again right after the import wrote it, and its plan is
-- cached per connection: made while the import's first few dozen lines were all the table held, it
-- stayed a sequential scan for the whole import (a 200,000-line import spent 117 s in it; 0.7 s when
-- the first check happened to come after 400 lines). A match row is written by the code that has the line in
-- hand (the import's booking, the finance team's actions after reading the line), in the same
-- transaction, and lines are never deleted or re-keyed. Kept on SQLite (a B-tree lookup without a
-- lock there), and debtor_credits.line_id and payment_actions.line_id stay (rare rows).
-- dialect: postgresql
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT con.conname FROM pg_constraint con
             JOIN pg_class rel ON rel.oid = con.conrelid
             JOIN pg_class ref ON ref.oid = con.confrelid
             JOIN pg_namespace n ON n.oid = rel.relnamespace
             WHERE con.contype = 'f' AND n.nspname = current_schema()
               AND rel.relname = 'payment_matches' AND ref.relname = 'statement_lines'
    LOOP
        EXECUTE format('ALTER TABLE payment_matches DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;
-- dialect: all
