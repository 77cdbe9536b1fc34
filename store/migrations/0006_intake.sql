-- 0006: intake doors (issue 11). Mailboxes elsewhere that duegate polls for a creditor (POP3,
-- IMAP), and every message fetched from them, so a message is fetched once however often the
-- poller restarts (DESIGN.md rule 2: POP3 UIDL / IMAP UIDVALIDITY+UID as the natural key).

CREATE TABLE mailboxes (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    url TEXT NOT NULL,                            -- pop3[s]://user@host:port, imap[s]://user@host:port/FOLDER
    password_file TEXT,                           -- read at each poll; no password is ever stored here
    password_env TEXT,                            -- or the name of an environment variable
    after_import TEXT NOT NULL,                   -- 'delete' | 'keep' (POP3), 'move:FOLDER' | 'keep' (IMAP)
    enabled BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (creditor_id, url)
);

CREATE TABLE mailbox_messages (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id),
    uid_validity TEXT NOT NULL,                   -- IMAP UIDVALIDITY; '' for POP3
    uid TEXT NOT NULL,                            -- POP3 UIDL or IMAP UID
    item_id BIGINT REFERENCES inbound_items(id),  -- the intake item it became
    fetched_at TEXT NOT NULL,
    UNIQUE (creditor_id, mailbox_id, uid_validity, uid)
);
