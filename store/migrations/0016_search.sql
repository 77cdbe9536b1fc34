-- 0016: full-text search over dossiers (issue 14 item 2): one search document per dossier (its
-- reference, payment reference, OGM, the debtor's name and e-mail, its invoice numbers), kept by
-- triggers on the tables it is made of, so no writer can forget it. SQLite indexes it with FTS5's
-- trigram tokenizer, PostgreSQL with a pg_trgm GIN index: both answer "contains this text" (names,
-- parts of references) from the index. Also the indexes the portal's list and filters need.

-- dialect: sqlite
CREATE TABLE dossier_search (
    dossier_id INTEGER PRIMARY KEY,               -- = dossiers.id, the FTS rowid
    creditor_id BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE VIRTUAL TABLE dossier_fts USING fts5(body, content='dossier_search', content_rowid='dossier_id', tokenize='trigram');

CREATE TRIGGER dossier_search_ai AFTER INSERT ON dossier_search BEGIN
    INSERT INTO dossier_fts (rowid, body) VALUES (new.dossier_id, new.body);
END;
CREATE TRIGGER dossier_search_au AFTER UPDATE ON dossier_search BEGIN
    INSERT INTO dossier_fts (dossier_fts, rowid, body) VALUES ('delete', old.dossier_id, old.body);
    INSERT INTO dossier_fts (rowid, body) VALUES (new.dossier_id, new.body);
END;
CREATE TRIGGER dossier_search_ad AFTER DELETE ON dossier_search BEGIN
    INSERT INTO dossier_fts (dossier_fts, rowid, body) VALUES ('delete', old.dossier_id, old.body);
END;

-- The document of dossier X, as an upsert; {X} is new.id / new.dossier_id / a debtor's dossiers.
CREATE TRIGGER dossiers_search_ai AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossier_search (dossier_id, creditor_id, body)
    SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE d.id = new.id
    ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;
END;
CREATE TRIGGER dossiers_search_au AFTER UPDATE OF reference, payment_reference, ogm, debtor_id ON dossiers BEGIN
    INSERT INTO dossier_search (dossier_id, creditor_id, body)
    SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE d.id = new.id
    ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;
END;
CREATE TRIGGER debtors_search_au AFTER UPDATE OF name, email ON debtors BEGIN
    INSERT INTO dossier_search (dossier_id, creditor_id, body)
    SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE d.debtor_id = new.id AND d.creditor_id = new.creditor_id
    ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;
END;
CREATE TRIGGER invoices_search_ai AFTER INSERT ON invoices BEGIN
    INSERT INTO dossier_search (dossier_id, creditor_id, body)
    SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE d.id = new.dossier_id
    ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;
END;
CREATE TRIGGER invoices_search_au AFTER UPDATE OF number, dossier_id ON invoices BEGIN
    INSERT INTO dossier_search (dossier_id, creditor_id, body)
    SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE d.id IN (new.dossier_id, old.dossier_id)
    ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;
END;

INSERT INTO dossier_search (dossier_id, creditor_id, body)
SELECT d.id, d.creditor_id, d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT group_concat(i.number, ' ') FROM invoices i WHERE i.dossier_id = d.id), '')
FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id WHERE 1 = 1
ON CONFLICT (dossier_id) DO UPDATE SET body = excluded.body;

-- dialect: postgresql
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE dossier_search (
    creditor_id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL,
    body TEXT NOT NULL,                           -- lower-cased
    PRIMARY KEY (creditor_id, dossier_id)
);
CREATE INDEX dossier_search_trgm ON dossier_search USING gin (body gin_trgm_ops);

CREATE FUNCTION duegate_refresh_dossier_search(p_creditor BIGINT, p_dossier BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO dossier_search (creditor_id, dossier_id, body)
    SELECT d.creditor_id, d.id, lower(d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT string_agg(i.number, ' ' ORDER BY i.id) FROM invoices i WHERE i.creditor_id = d.creditor_id AND i.dossier_id = d.id), ''))
    FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id
    WHERE d.creditor_id = p_creditor AND d.id = p_dossier
    ON CONFLICT (creditor_id, dossier_id) DO UPDATE SET body = excluded.body
$$;

CREATE FUNCTION duegate_dossier_search_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'dossiers' THEN
        PERFORM duegate_refresh_dossier_search(NEW.creditor_id, NEW.id);
    ELSIF TG_TABLE_NAME = 'invoices' THEN
        PERFORM duegate_refresh_dossier_search(NEW.creditor_id, NEW.dossier_id);
        IF TG_OP = 'UPDATE' AND OLD.dossier_id <> NEW.dossier_id THEN
            PERFORM duegate_refresh_dossier_search(OLD.creditor_id, OLD.dossier_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'debtors' THEN
        PERFORM duegate_refresh_dossier_search(d.creditor_id, d.id) FROM dossiers d
        WHERE d.creditor_id = NEW.creditor_id AND d.debtor_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dossiers_search_ai AFTER INSERT ON dossiers FOR EACH ROW EXECUTE FUNCTION duegate_dossier_search_trigger();
CREATE TRIGGER dossiers_search_au AFTER UPDATE OF reference, payment_reference, ogm, debtor_id ON dossiers FOR EACH ROW EXECUTE FUNCTION duegate_dossier_search_trigger();
CREATE TRIGGER debtors_search_au AFTER UPDATE OF name, email ON debtors FOR EACH ROW EXECUTE FUNCTION duegate_dossier_search_trigger();
CREATE TRIGGER invoices_search_ai AFTER INSERT OR UPDATE OF number, dossier_id ON invoices FOR EACH ROW EXECUTE FUNCTION duegate_dossier_search_trigger();

INSERT INTO dossier_search (creditor_id, dossier_id, body)
SELECT d.creditor_id, d.id, lower(d.reference || ' ' || COALESCE(d.payment_reference, '') || ' ' || COALESCE(d.ogm, '') || ' ' || db.name || ' ' || COALESCE(db.email, '') || ' ' || COALESCE((SELECT string_agg(i.number, ' ' ORDER BY i.id) FROM invoices i WHERE i.creditor_id = d.creditor_id AND i.dossier_id = d.id), ''))
FROM dossiers d JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id;

-- dialect: all
CREATE INDEX dossiers_by_creditor_status ON dossiers (creditor_id, status, id);
CREATE INDEX invoices_by_amount ON invoices (creditor_id, amount_minor);
CREATE INDEX dossiers_by_open_amount ON dossiers (creditor_id, open_minor);

-- A view of the debtor page records `link_opened` at most once per link per hour (not a write per view).
ALTER TABLE link_tokens ADD COLUMN last_opened_at TEXT;
