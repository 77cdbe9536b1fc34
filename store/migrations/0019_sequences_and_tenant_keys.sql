-- 0019: dossier numbers from a sequence, and tenant keys ready for distribution by creditor_id
-- (issue 13). Runs after every other migration of its round (0009-0016).
--
-- Dossier numbers. Before: two counters rows ('dossier_reference:<year>', 'payment_reference')
-- bumped inside the apply transaction, so on PostgreSQL every invoice apply waited for the one
-- before it to commit. Now: one number for the reference ("D<invoice year>-<number>", the same
-- visible format; the number no longer restarts each year, so a reference stays unique whatever
-- the year) and one behind the OGM, each a SEQUENCE on PostgreSQL (nextval never waits for
-- another transaction) and a counters row on SQLite (one writer at a time there anyway). Both
-- start after every number handed out before, so no reference or OGM repeats.
INSERT INTO counters (name, value)
    SELECT 'dossier_number', COALESCE(MAX(value), 0) FROM counters WHERE name LIKE 'dossier_reference:%';
INSERT INTO counters (name, value) VALUES ('payment_reference', 0) ON CONFLICT (name) DO NOTHING;
-- PostgreSQL: the sequences dossier_number_seq and payment_reference_seq are created by the step
-- after the migrations (store/TenantKeys.cpp, ensureSequences), starting after these counters: so
-- this file stays the same SQL on both dialects.

-- Tenant keys: nothing here. On PostgreSQL, store/TenantKeys.cpp reads the catalog after every
-- migration run and puts creditor_id into every tenant table's primary key, UNIQUE constraints and
-- foreign keys between tenant tables, so tables added by any migration are covered (docs/scale.md).
