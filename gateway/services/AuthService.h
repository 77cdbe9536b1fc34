// Authentication for the portal and the API (DESIGN.md security model; docs/portal.md "Security").
//
// API: `Authorization: Bearer <api key>` -> the creditor (only the key's sha256 is stored).
// Portal: e-mail + password (Argon2id) -> a session; the cookie value is random, only its sha256
// is stored (in the store, so every host behind a load balancer accepts it), and each session has
// its own CSRF token that every form must echo. Failed logins never say whether the e-mail exists.
//
// Bounds, all from ctx.settings.auth (AuthSettings.h), checked in this order:
//  1. throttling: too many failed logins for the account (e-mail) or for the client address inside
//     the sliding window -> Throttled with Retry-After, decided from the store BEFORE any hash runs;
//  2. at most maxConcurrentHashes Argon2id runs at once in this process -> Busy (503, Retry-After),
//     never a waiting queue;
//  3. then the password; a wrong one is recorded for the account and the address.
// Sessions: a new id at every login (the request's old session is deleted: rotation), an idle
// timeout (last_seen_at, refreshed at most once a minute) and an absolute one; logoutEverywhere()
// ends every session of the user. A user with TOTP enabled, or staff when staffTotp = required,
// gets a second step (a short-lived challenge) instead of a session.
// Password reset: a one-use token (only its sha256 stored) mailed to the user, expiring; the
// request answers the same whether the address exists; reset revokes every session.
// Every outcome is written to security_events naming the user (or none for unknown e-mails).
// Thread-safety: all functions are safe from any number of request threads.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

std::optional<Principal> principalForApiKey(Context& ctx, const std::string& apiKey);

struct NewSession {
    std::string cookieValue;
    std::string csrfToken;
    Principal principal;
};

struct LoginAttempt {
    std::string email, password;
    std::string remoteAddress;      // "host:port" or "host" of the client; the port is ignored
    std::string previousCookie;     // the request's dg_session, ended by a successful login
};

enum class LoginOutcome { Ok, SecondStep, Wrong, Throttled, Busy };

struct LoginResult {
    LoginOutcome outcome = LoginOutcome::Wrong;
    std::optional<NewSession> session;  // Ok
    std::string challengeToken;         // SecondStep: the dg_login_step cookie value
    std::string challengeKind;          // SecondStep: "totp" (enter a code) or "enrol" (set TOTP up first)
    int retryAfterSeconds = 0;          // Throttled, Busy
};

LoginResult login(Context& ctx, const LoginAttempt& attempt);

// The second step: what to show for a challenge token (nothing when expired or unknown).
struct ChallengeView {
    std::string kind;                   // totp | enrol
    std::string email;
    std::string secret, otpauthUri;     // enrol only: the pending secret (base32) and its URI
};
std::optional<ChallengeView> challengeFor(Context& ctx, const std::string& challengeToken);
// Checks the 6-digit code; Ok with a session, Wrong (at most 5 tries per challenge, then it is
// gone), or Throttled when the account or address is throttled.
LoginResult completeSecondStep(Context& ctx, const std::string& challengeToken, const std::string& code,
                               const std::string& remoteAddress);

struct ActiveSession {
    Principal principal;
    std::string csrfToken;
    std::string email;
};
// A live session (absolute expiry not passed, used within the idle timeout); refreshes its
// last use when that is more than a minute old.
std::optional<ActiveSession> sessionFor(Context& ctx, const std::string& cookieValue);
// The same check inside a read transaction the caller runs, so a busy page reads its session and
// its data in one transaction (one BEGIN/COMMIT, one pooled connection). finishSessionCheck() after
// that transaction ended refreshes the session's last use when the check found it due.
struct SessionCheck {
    std::string tokenHash;
    bool touch = false;
};
std::optional<ActiveSession> sessionIn(Context& ctx, store::Tx& tx, const std::string& cookieValue, SessionCheck& check);
void finishSessionCheck(Context& ctx, const SessionCheck& check);
void logout(Context& ctx, const std::string& cookieValue, const std::string& remoteAddress = {});
// Ends every session of the user (all devices, all hosts); returns how many ended.
std::size_t logoutEverywhere(Context& ctx, std::int64_t userId, const std::string& remoteAddress);

// Password reset. The mail text comes from the caller (the portal's catalogs): `{link}` in the
// body is replaced by the reset link, `{minutes}` by its validity.
struct ResetMailText {
    std::string subject, body;
};
enum class ResetRequestOutcome { Accepted, Throttled };
// Accepted whether or not the address has an account (a mail is queued only when it has, and at
// most resetsPerAccountHour an hour); Throttled only by the client address's request count.
ResetRequestOutcome requestPasswordReset(Context& ctx, const std::string& email, const std::string& remoteAddress,
                                         const ResetMailText& text);
bool resetTokenValid(Context& ctx, const std::string& token);
enum class ResetOutcome { Done, BadToken, WeakPassword, Busy };
// Sets the new password (at least 10 characters), uses the token up, ends every session.
ResetOutcome resetPassword(Context& ctx, const std::string& token, const std::string& newPassword,
                           const std::string& remoteAddress);

// TOTP enrolment of a signed-in user (the account page).
struct TotpStatus {
    bool enabled = false;
    std::string secret, otpauthUri;     // the pending secret while not enabled
};
TotpStatus totpStatus(Context& ctx, std::int64_t userId, const std::string& email);
// Enables the pending secret when `code` is right for it; false otherwise.
bool enableTotp(Context& ctx, std::int64_t userId, const std::string& code, const std::string& remoteAddress);

// The account page: recent security events of the user (newest first) and live sessions.
struct AccountView {
    std::vector<std::pair<std::string, std::string>> events;  // (kind, at)
    std::size_t sessions = 0;
    bool totpEnabled = false;
    bool totpAllowed = true;            // staffTotp != off
};
AccountView accountView(Context& ctx, std::int64_t userId);

// Sends due account mails (password reset) through `send`, which returns an empty string on
// success or the error; retried every minute, given up after 10 tries. Returns how many were sent.
std::size_t sendAccountMails(Context& ctx,
                             const std::function<std::string(const std::string& to, const std::string& subject,
                                                             const std::string& body)>& send);
// Deletes expired sessions, challenges and reset tokens, old failure rows, and debtor-link
// rate-limit counters older than two days (the housekeeping job in `serve`).
void pruneSecurityTables(Context& ctx);

// How many Argon2id hashes this process has computed (login, reset; for tests and /metrics).
std::uint64_t passwordHashesRun();

}  // namespace duegate::services
