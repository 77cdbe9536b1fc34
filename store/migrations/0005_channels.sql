-- 0005: every channel delivers and every answer comes home (issue 10 items 3-5).
-- SMS opt-out per debtor: set by an inbound STOP/UNSUBSCRIBE or Twilio error 21610; later SMS
-- rows of that debtor fall back to the next channel instead of being sent.
ALTER TABLE debtors ADD COLUMN sms_off_at TEXT;
ALTER TABLE debtors ADD COLUMN sms_off_reason TEXT;
-- A letter's PDF (documents row) and the message a fallback replaces.
ALTER TABLE outbound_messages ADD COLUMN document_id BIGINT REFERENCES documents(id);
ALTER TABLE outbound_messages ADD COLUMN fallback_of BIGINT REFERENCES outbound_messages(id);
CREATE INDEX outbound_by_provider ON outbound_messages (provider_id);
-- What a letter's amounts table shows beyond the invoices (interest, costs), each with its legal
-- basis, as the decision that queued it computed them: JSON [{"label","minor","currency","basis"}].
ALTER TABLE outbound_messages ADD COLUMN amounts TEXT;

-- Pauses of a dossier's reminders (a reply, a dispute, ...): reminders wait while one is open,
-- until its date (NULL = until a person ends it).
CREATE TABLE dossier_pauses (
    id {{ID}},
    creditor_id BIGINT NOT NULL REFERENCES creditors(id),
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    reason TEXT NOT NULL,
    until_date TEXT,
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX dossier_pauses_by_dossier ON dossier_pauses (dossier_id, id);
