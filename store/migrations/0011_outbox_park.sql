-- 0011: the outbox claims one message right before sending it and fences every later change with
-- the claim (issue 13): claim_token names the one claim that may still move a 'sending' row. A send
-- whose outcome is unknown (no reply to the final dot, a process killed while sending) is parked
-- in the new state 'unknown' for a person to review (`duegate outbox`), never resent by itself.

-- Widen the state CHECK by 'unknown'. PostgreSQL says it directly; SQLite cannot alter a constraint,
-- so its stored CREATE TABLE text is edited the way SQLite documents for loosening a constraint
-- (https://sqlite.org/lang_altertable.html, "otherwise" procedure): existing rows stay valid, and
-- the ALTER TABLE below bumps the schema cookie so every open connection reloads the schema.
-- dialect: postgresql
ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_state_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_state_check
    CHECK (state IN ('planned','sending','sent','delivered','failed','bounced','unknown'));
-- dialect: sqlite
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''failed'',''bounced'')', '''failed'',''bounced'',''unknown'')')
    WHERE type = 'table' AND name = 'outbound_messages';
PRAGMA writable_schema = RESET;
-- dialect: all

ALTER TABLE outbound_messages ADD COLUMN claim_token TEXT;   -- the current claim; NULL when not 'sending'
ALTER TABLE outbound_messages ADD COLUMN parked_at TEXT;     -- when it became 'unknown'
