#include "store/SecurityRepository.h"

namespace duegate::store::security {

void insertSession(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& csrf,
                   const std::string& now, const std::string& expiresAt) {
    tx.exec("INSERT INTO portal_sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) "
            "VALUES ($1, $2, $3, $4, $5, $4)",
            {tokenHash, userId, csrf, now, expiresAt});
}

std::optional<SessionRow> liveSession(Tx& tx, const std::string& tokenHash, const std::string& now,
                                      const std::string& idleSince) {
    auto r = tx.queryOne(
        "SELECT user_id, csrf_token, COALESCE(last_seen_at, created_at) FROM portal_sessions "
        "WHERE token_hash = $1 AND expires_at > $2 AND COALESCE(last_seen_at, created_at) > $3",
        {tokenHash, now, idleSince});
    if (!r) return std::nullopt;
    return SessionRow{r->integer(0), r->text(1), r->text(2)};
}

std::optional<LiveSessionUser> liveSessionUser(Tx& tx, const std::string& tokenHash, const std::string& now,
                                               const std::string& idleSince) {
    auto r = tx.queryOne(
        "SELECT s.user_id, s.csrf_token, COALESCE(s.last_seen_at, s.created_at), u.id, u.creditor_id, u.email, "
        "u.name, u.role, u.password_hash FROM portal_sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = $1 AND s.expires_at > $2 AND COALESCE(s.last_seen_at, s.created_at) > $3",
        {tokenHash, now, idleSince});
    if (!r) return std::nullopt;
    return LiveSessionUser{SessionRow{r->integer(0), r->text(1), r->text(2)},
                           UserRecord{r->integer(3), r->optInteger(4), r->text(5), r->text(6), r->text(7), r->text(8)}};
}

void touchSession(Tx& tx, const std::string& tokenHash, const std::string& now) {
    tx.exec("UPDATE portal_sessions SET last_seen_at = $2 WHERE token_hash = $1", {tokenHash, now});
}

void deleteSession(Tx& tx, const std::string& tokenHash) {
    tx.exec("DELETE FROM portal_sessions WHERE token_hash = $1", {tokenHash});
}

std::size_t deleteSessionsOf(Tx& tx, std::int64_t userId) {
    return tx.exec("DELETE FROM portal_sessions WHERE user_id = $1", {userId});
}

std::size_t countSessionsOf(Tx& tx, std::int64_t userId) {
    return static_cast<std::size_t>(
        tx.queryOne("SELECT COUNT(*) FROM portal_sessions WHERE user_id = $1", {userId})->integer(0));
}

void addFailure(Tx& tx, const std::string& subject, const std::string& at) {
    tx.exec("INSERT INTO login_failures (subject, at) VALUES ($1, $2)", {subject, at});
}

std::int64_t failuresSince(Tx& tx, const std::string& subject, const std::string& since) {
    return tx.queryOne("SELECT COUNT(*) FROM login_failures WHERE subject = $1 AND at > $2", {subject, since})
        ->integer(0);
}

std::optional<std::string> nthRecentFailure(Tx& tx, const std::string& subject, const std::string& since,
                                            std::int64_t n) {
    auto r = tx.queryOne("SELECT at FROM login_failures WHERE subject = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
                         {subject, since, n - 1});
    if (!r) return std::nullopt;
    return r->text(0);
}

void clearFailures(Tx& tx, const std::string& subject) {
    tx.exec("DELETE FROM login_failures WHERE subject = $1", {subject});
}

void insertChallenge(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& kind,
                     const std::string& now, const std::string& expiresAt) {
    tx.exec("INSERT INTO login_challenges (token_hash, user_id, kind, attempts, created_at, expires_at) "
            "VALUES ($1, $2, $3, 0, $4, $5)",
            {tokenHash, userId, kind, now, expiresAt});
}

std::optional<ChallengeRow> challenge(Tx& tx, const std::string& tokenHash, const std::string& now) {
    auto r = tx.queryOne("SELECT user_id, kind, attempts FROM login_challenges WHERE token_hash = $1 AND expires_at > $2",
                         {tokenHash, now});
    if (!r) return std::nullopt;
    return ChallengeRow{r->integer(0), r->text(1), r->integer(2)};
}

void countChallengeAttempt(Tx& tx, const std::string& tokenHash) {
    tx.exec("UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = $1", {tokenHash});
}

void deleteChallenge(Tx& tx, const std::string& tokenHash) {
    tx.exec("DELETE FROM login_challenges WHERE token_hash = $1", {tokenHash});
}

void insertReset(Tx& tx, std::int64_t userId, const std::string& tokenHash, const std::string& now,
                 const std::string& expiresAt, const std::string& remoteAddress) {
    tx.exec("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, remote_address) "
            "VALUES ($1, $2, $3, $4, $5)",
            {userId, tokenHash, now, expiresAt, remoteAddress});
}

std::int64_t resetsOfUserSince(Tx& tx, std::int64_t userId, const std::string& since) {
    return tx.queryOne("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2", {userId, since})
        ->integer(0);
}

void addResetRequest(Tx& tx, const std::string& remoteAddress, const std::string& at) {
    tx.exec("INSERT INTO password_reset_requests (remote_address, at) VALUES ($1, $2)", {remoteAddress, at});
}

std::int64_t resetRequestsSince(Tx& tx, const std::string& remoteAddress, const std::string& since) {
    return tx.queryOne("SELECT COUNT(*) FROM password_reset_requests WHERE remote_address = $1 AND at > $2",
                       {remoteAddress, since})
        ->integer(0);
}

std::optional<std::int64_t> resetUser(Tx& tx, const std::string& tokenHash, const std::string& now) {
    auto r = tx.queryOne(
        "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        {tokenHash, now});
    if (!r) return std::nullopt;
    return r->integer(0);
}

bool useReset(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& now) {
    const bool mine =
        tx.exec("UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL", {tokenHash, now}) == 1;
    tx.exec("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL", {userId, now});
    return mine;
}

void setPasswordHash(Tx& tx, std::int64_t userId, const std::string& hash) {
    tx.exec("UPDATE users SET password_hash = $2 WHERE id = $1", {userId, hash});
}

std::optional<TotpRow> totp(Tx& tx, std::int64_t userId) {
    auto r = tx.queryOne("SELECT secret, enabled_at, last_step FROM user_totp WHERE user_id = $1", {userId});
    if (!r) return std::nullopt;
    return TotpRow{r->text(0), !r->isNull(1), r->integer(2)};
}

void setPendingTotp(Tx& tx, std::int64_t userId, const std::string& secret, const std::string& now) {
    tx.exec("INSERT INTO user_totp (user_id, secret, enabled_at, last_step, created_at) VALUES ($1, $2, NULL, 0, $3) "
            "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at "
            "WHERE user_totp.enabled_at IS NULL",
            {userId, secret, now});
}

void enableTotp(Tx& tx, std::int64_t userId, std::int64_t step, const std::string& now) {
    tx.exec("UPDATE user_totp SET enabled_at = $2, last_step = $3 WHERE user_id = $1", {userId, now, step});
}

bool deleteTotp(Tx& tx, std::int64_t userId) {
    return tx.exec("DELETE FROM user_totp WHERE user_id = $1", {userId}) > 0;
}

bool useTotpStep(Tx& tx, std::int64_t userId, std::int64_t step) {
    // The row lock of the UPDATE serialises two requests with the same code: one of them wins.
    return tx.exec("UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2", {userId, step}) == 1;
}

void queueAccountMail(Tx& tx, std::int64_t userId, const std::string& purpose, const std::string& recipient,
                      const std::string& subject, const std::string& body, const std::string& now) {
    tx.exec("INSERT INTO account_mails (user_id, purpose, recipient, subject, body, state, attempts, next_attempt_at, "
            "created_at) VALUES ($1, $2, $3, $4, $5, 'planned', 0, $6, $6)",
            {userId, purpose, recipient, subject, body, now});
}

std::vector<AccountMailRow> dueAccountMails(Tx& tx, const std::string& now, std::size_t limit) {
    std::vector<AccountMailRow> out;
    for (const auto& r : tx.query("SELECT id, recipient, subject, body, attempts FROM account_mails "
                                  "WHERE state = 'planned' AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
                                  {now, static_cast<std::int64_t>(limit)}))
        out.push_back(AccountMailRow{r.integer(0), r.text(1), r.text(2), r.text(3), r.integer(4)});
    return out;
}

void accountMailSent(Tx& tx, std::int64_t id) {
    tx.exec("UPDATE account_mails SET state = 'sent', attempts = attempts + 1 WHERE id = $1", {id});
}

void accountMailRetry(Tx& tx, std::int64_t id, const std::string& nextAttemptAt, const std::string& error, bool failed) {
    tx.exec("UPDATE account_mails SET state = $2, attempts = attempts + 1, next_attempt_at = $3, last_error = $4 "
            "WHERE id = $1",
            {id, std::string(failed ? "failed" : "planned"), nextAttemptAt, error.substr(0, 500)});
}

void addEvent(Tx& tx, std::optional<std::int64_t> userId, const std::string& kind, const std::string& at,
              const std::string& remoteAddress, const std::string& detail) {
    tx.exec("INSERT INTO security_events (user_id, kind, at, remote_address, detail) VALUES ($1, $2, $3, $4, $5)",
            {optionalInt(userId), kind, at, remoteAddress.substr(0, 100),
             detail.empty() ? nullValue() : Value(detail.substr(0, 500))});
}

std::vector<SecurityEventRow> recentEvents(Tx& tx, std::int64_t userId, std::size_t limit) {
    std::vector<SecurityEventRow> out;
    for (const auto& r : tx.query("SELECT kind, at, remote_address FROM security_events WHERE user_id = $1 "
                                  "ORDER BY id DESC LIMIT $2",
                                  {userId, static_cast<std::int64_t>(limit)}))
        out.push_back(SecurityEventRow{r.text(0), r.text(1), r.text(2)});
    return out;
}

Pruned prune(Tx& tx, const std::string& now, const std::string& failuresBefore, const std::string& linkHourBefore) {
    Pruned p;
    p.sessions = tx.exec("DELETE FROM portal_sessions WHERE expires_at <= $1", {now});
    p.challenges = tx.exec("DELETE FROM login_challenges WHERE expires_at <= $1", {now});
    p.failures = tx.exec("DELETE FROM login_failures WHERE at <= $1", {failuresBefore});
    p.failures += tx.exec("DELETE FROM password_reset_requests WHERE at <= $1", {failuresBefore});
    p.resets = tx.exec("DELETE FROM password_resets WHERE expires_at <= $1", {failuresBefore});
    p.linkCounts = tx.exec("DELETE FROM link_post_counts WHERE hour < $1", {linkHourBefore});
    return p;
}

}  // namespace duegate::store::security
