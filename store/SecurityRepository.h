// Login security in the store (migration 0015): sessions with idle and absolute expiry, failed
// logins for throttling, second-step challenges, password reset tokens, TOTP secrets, account
// mails and the account audit trail. Tokens are stored as sha256 hex only; the callers hash.
// Times are store instants (store/Time.h), compared as text on both dialects.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::security {

// --- sessions ---
void insertSession(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& csrf,
                   const std::string& now, const std::string& expiresAt);
struct SessionRow {
    std::int64_t userId = 0;
    std::string csrfToken;
    std::string lastSeenAt;
};
// A session whose absolute expiry is after `now` and that was seen after `idleSince`.
std::optional<SessionRow> liveSession(Tx& tx, const std::string& tokenHash, const std::string& now,
                                      const std::string& idleSince);
// The same session with its user (users::byId), in one query: every portal page checks it.
struct LiveSessionUser {
    SessionRow session;
    UserRecord user;
};
std::optional<LiveSessionUser> liveSessionUser(Tx& tx, const std::string& tokenHash, const std::string& now,
                                               const std::string& idleSince);
void touchSession(Tx& tx, const std::string& tokenHash, const std::string& now);
void deleteSession(Tx& tx, const std::string& tokenHash);
// Every session of the user; returns how many there were.
std::size_t deleteSessionsOf(Tx& tx, std::int64_t userId);
std::size_t countSessionsOf(Tx& tx, std::int64_t userId);

// --- failed logins (throttling) ---
void addFailure(Tx& tx, const std::string& subject, const std::string& at);
// Failures of `subject` after `since`.
std::int64_t failuresSince(Tx& tx, const std::string& subject, const std::string& since);
// The instant of the n-th most recent failure after `since` (n >= 1), if there are that many.
std::optional<std::string> nthRecentFailure(Tx& tx, const std::string& subject, const std::string& since, std::int64_t n);
void clearFailures(Tx& tx, const std::string& subject);

// --- second step of a login ---
void insertChallenge(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& kind,
                     const std::string& now, const std::string& expiresAt);
struct ChallengeRow {
    std::int64_t userId = 0;
    std::string kind;
    std::int64_t attempts = 0;
};
std::optional<ChallengeRow> challenge(Tx& tx, const std::string& tokenHash, const std::string& now);
void countChallengeAttempt(Tx& tx, const std::string& tokenHash);
void deleteChallenge(Tx& tx, const std::string& tokenHash);

// --- password resets ---
void insertReset(Tx& tx, std::int64_t userId, const std::string& tokenHash, const std::string& now,
                 const std::string& expiresAt, const std::string& remoteAddress);
std::int64_t resetsOfUserSince(Tx& tx, std::int64_t userId, const std::string& since);
void addResetRequest(Tx& tx, const std::string& remoteAddress, const std::string& at);
std::int64_t resetRequestsSince(Tx& tx, const std::string& remoteAddress, const std::string& since);
// The user of an unused, unexpired token.
std::optional<std::int64_t> resetUser(Tx& tx, const std::string& tokenHash, const std::string& now);
// Marks the token used (false when it was used already: a second use loses the race) and every
// other open token of the user used too.
bool useReset(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& now);
void setPasswordHash(Tx& tx, std::int64_t userId, const std::string& hash);

// --- TOTP ---
struct TotpRow {
    std::string secret;          // base32
    bool enabled = false;
    std::int64_t lastStep = 0;
};
std::optional<TotpRow> totp(Tx& tx, std::int64_t userId);
// A pending (not yet enabled) secret; replaces a pending one, never an enabled one.
void setPendingTotp(Tx& tx, std::int64_t userId, const std::string& secret, const std::string& now);
void enableTotp(Tx& tx, std::int64_t userId, std::int64_t step, const std::string& now);
// Removes the user's second factor (pending or enabled); false when there was none.
bool deleteTotp(Tx& tx, std::int64_t userId);
// Records the accepted step; false when a code of this or a later step was accepted already.
bool useTotpStep(Tx& tx, std::int64_t userId, std::int64_t step);

// --- account mails ---
void queueAccountMail(Tx& tx, std::int64_t userId, const std::string& purpose, const std::string& recipient,
                      const std::string& subject, const std::string& body, const std::string& now);
struct AccountMailRow {
    std::int64_t id = 0;
    std::string recipient, subject, body;
    std::int64_t attempts = 0;
};
std::vector<AccountMailRow> dueAccountMails(Tx& tx, const std::string& now, std::size_t limit);
void accountMailSent(Tx& tx, std::int64_t id);
void accountMailRetry(Tx& tx, std::int64_t id, const std::string& nextAttemptAt, const std::string& error, bool failed);

// --- audit trail ---
void addEvent(Tx& tx, std::optional<std::int64_t> userId, const std::string& kind, const std::string& at,
              const std::string& remoteAddress, const std::string& detail = {});
struct SecurityEventRow {
    std::string kind, at, remoteAddress;
};
std::vector<SecurityEventRow> recentEvents(Tx& tx, std::int64_t userId, std::size_t limit);

// --- housekeeping ---
struct Pruned {
    std::size_t sessions = 0, failures = 0, challenges = 0, resets = 0, linkCounts = 0;
};
// Deletes expired sessions and challenges, failures and reset requests older than `failuresBefore`,
// reset tokens expired before `now`, and link_post_counts of hours before `linkHourBefore`.
Pruned prune(Tx& tx, const std::string& now, const std::string& failuresBefore, const std::string& linkHourBefore);

}  // namespace duegate::store::security
