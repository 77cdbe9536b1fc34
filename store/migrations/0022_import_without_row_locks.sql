-- 0022: a statement import no longer locks a row per stored line (issue 9 item 8; docs/store.md,
-- "Statement lines without per-row foreign-key checks"; docs/performance.md, "Statement import").
--
-- On PostgreSQL a foreign-key check is a trigger per inserted row that reads the referenced row
-- and locks it (SELECT ... FOR KEY SHARE): every statement_lines row locked its statements row, and
-- every line_states row locked, dirtied and WAL-logged its statement_lines row. Of a 200,000-line
-- import's COPY of the line states that was 70 % of the time (1.6 s without the check, 5.2 s with
-- it). Both references are written by one function each, in the same transaction as the row they
-- name (store/PaymentRepository.cpp, store/PaymentBatchRepository.cpp: a statement's lines right
-- after the statement, a line's state right after the line), and statements and lines are never
-- deleted or re-keyed, so the checks guarded nothing the code does not already guarantee.
-- Dropped on PostgreSQL only: on SQLite the check is a B-tree lookup without a lock (a few percent
-- of the import), and dropping a constraint there means rebuilding the table.
-- Every other foreign key stays (payment_matches, debtor_credits and payment_actions still
-- reference statement_lines; the creditor_id references stay). No data moves: the rows are as they were.
-- dialect: postgresql
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT con.conname, rel.relname FROM pg_constraint con
             JOIN pg_class rel ON rel.oid = con.conrelid
             JOIN pg_class ref ON ref.oid = con.confrelid
             JOIN pg_namespace n ON n.oid = rel.relnamespace
             WHERE con.contype = 'f' AND n.nspname = current_schema()
               AND ((rel.relname = 'line_states' AND ref.relname = 'statement_lines')
                 OR (rel.relname = 'statement_lines' AND ref.relname = 'statements'))
    LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, c.conname);
    END LOOP;
END $$;
-- dialect: all
