-- 0015: login security (issue 14 item 5): throttling, session timeouts, password reset by mail,
-- TOTP for staff, the account's audit trail, and what the housekeeping job prunes.
-- Users are not tenant data of one creditor (staff have none), so these tables are keyed by user
-- or by a hashed subject, not by creditor_id; nothing here is ever shown across users.

-- Sessions: idle timeout (last_seen_at, refreshed at most once a minute) next to the absolute
-- expiry (expires_at, from 0001); "log out everywhere" deletes a user's rows by user_id.
ALTER TABLE portal_sessions ADD COLUMN last_seen_at TEXT;
CREATE INDEX portal_sessions_by_user ON portal_sessions (user_id);
CREATE INDEX portal_sessions_by_expiry ON portal_sessions (expires_at);

-- One row per failed login (wrong password, wrong TOTP code), for the account and for the client
-- address: 'account:' || sha256(lower(email)) and 'address:' || ip. A login is throttled when a
-- subject has too many rows inside the window; rows older than the window are pruned.
CREATE TABLE login_failures (
    id {{ID}},
    subject TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, at);
CREATE INDEX login_failures_by_at ON login_failures (at);

-- The second step of a login (TOTP code, or TOTP enrolment for staff when it is required): the
-- password was right; the cookie dg_login_step holds the token, only its sha256 is stored.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('totp', 'enrol')),
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

-- Password reset tokens: only the sha256 of the token in the mail is stored; one use, expiring.
CREATE TABLE password_resets (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    remote_address TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id, created_at);
-- Requests per client address (also when the address given has no account), for the rate limit.
CREATE TABLE password_reset_requests (
    id {{ID}},
    remote_address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX password_reset_requests_by_address ON password_reset_requests (remote_address, at);

-- TOTP (RFC 6238) per user: the base32 secret, enabled_at NULL while enrolment is pending, and the
-- last time step a code was accepted for (a code is never accepted twice).
CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    secret TEXT NOT NULL,
    enabled_at TEXT,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Mails to portal users about their account (password reset). Not a creditor's outbox row:
-- staff users have no creditor. Sent by the account mail job in `serve`.
CREATE TABLE account_mails (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX account_mails_due ON account_mails (state, next_attempt_at);

-- The account's audit trail: logins, failures, logouts, resets, TOTP changes, naming the user.
CREATE TABLE security_events (
    id {{ID}},
    user_id BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    remote_address TEXT,
    detail TEXT
);
CREATE INDEX security_events_by_user ON security_events (user_id, id);

-- The housekeeping job prunes the debtor-link rate-limit counters by hour.
CREATE INDEX link_post_counts_by_hour ON link_post_counts (hour);
