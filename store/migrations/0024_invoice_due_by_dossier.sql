-- 0024: the dossier list's earliest due date per row (issue 14 item 7). The list (and the dashboard's
-- ageing) reads MIN(due_date) of each dossier's invoices; with (dossier_id, id) alone that is an
-- index seek plus a read of every invoice row. With this index it is one seek that the index
-- answers by itself (SQLite's min/max optimisation, a PostgreSQL index-only scan).

-- dialect: all
CREATE INDEX invoices_due_by_dossier ON invoices (dossier_id, due_date);
