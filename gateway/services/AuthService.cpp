#include "gateway/services/AuthService.h"

#include "gateway/core/Totp.h"
#include "gateway/services/Secrets.h"
#include "platform/Metrics.h"
#include "store/CreditorRepository.h"
#include "store/StaffRepository.h"
#include "store/SecurityRepository.h"
#include "store/Time.h"

#include <Poco/RandomStream.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <atomic>

namespace duegate::services {
namespace {

constexpr int kMaxChallengeAttempts = 5;
constexpr long kChallengeSeconds = 300;
constexpr long kTouchEverySeconds = 60;

std::atomic<std::uint64_t> gHashes{0};
std::atomic<unsigned> gHashing{0};

// One of the bounded Argon2id slots, or none: a full gate answers at once (503), it never queues.
class HashSlot {
public:
    explicit HashSlot(unsigned limit) {
        _ok = gHashing.fetch_add(1) < std::max(1u, limit);
        if (!_ok) gHashing.fetch_sub(1);
    }
    ~HashSlot() {
        if (_ok) gHashing.fetch_sub(1);
    }
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
    bool ok() const { return _ok; }

private:
    bool _ok = false;
};

void countHash() {
    ++gHashes;
    platform::metrics::add("duegate_password_hashes_total", {}, 1, "Argon2id hashes computed (login, reset)");
}

bool verifyCounted(const std::string& password, const std::string& hash) {
    countHash();
    return verifyPassword(password, hash);
}

Principal principalOf(const store::UserRecord& u) { return Principal{u.creditorId, u.id, u.name}; }

std::string instantIn(const Context& ctx, long seconds) {
    return store::formatInstant(ctx.clock->now() + Poco::Timespan(seconds, 0));
}

// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:80" -> "::1"; a bare host stays as it is.
std::string clientHost(const std::string& address) {
    if (address.empty()) return {};
    if (address.front() == '[') {
        const auto close = address.find(']');
        return close == std::string::npos ? address : address.substr(1, close - 1);
    }
    const auto colon = address.find(':');
    if (colon != std::string::npos && address.find(':', colon + 1) == std::string::npos) return address.substr(0, colon);
    return address;
}

std::string accountSubject(const std::string& email) { return "account:" + sha256Hex(Poco::toLower(email)); }
std::string addressSubject(const std::string& host) { return "address:" + host; }

void metric(const char* result) {
    platform::metrics::add("duegate_portal_logins_total", {{"result", result}}, 1, "portal login attempts by result");
}

struct ThrottleState {
    bool throttled = false;
    int retryAfterSeconds = 0;
};

// Decided from the store alone: no hash has run when this says throttled.
ThrottleState throttleState(const Context& ctx, store::Tx& tx, const std::string& email, const std::string& host) {
    const auto& a = ctx.settings.auth;
    const long window = static_cast<long>(a.throttleWindowSeconds);
    const std::string since = instantIn(ctx, -window);
    ThrottleState out;
    auto check = [&](const std::string& subject, unsigned limit) {
        if (limit == 0) return;
        if (store::security::failuresSince(tx, subject, since) < static_cast<std::int64_t>(limit)) return;
        out.throttled = true;
        int retry = static_cast<int>(window);
        if (auto nth = store::security::nthRecentFailure(tx, subject, since, limit)) {
            const auto freeAt = store::parseInstant(*nth) + Poco::Timespan(window, 0);
            retry = static_cast<int>((freeAt - ctx.clock->now()) / Poco::Timestamp::resolution()) + 1;
        }
        out.retryAfterSeconds = std::max({out.retryAfterSeconds, retry, 1});
    };
    check(accountSubject(email), a.maxFailuresPerAccount);
    if (!host.empty()) check(addressSubject(host), a.maxFailuresPerAddress);
    return out;
}

void recordFailure(const Context& ctx, store::Tx& tx, const std::string& email, const std::string& host) {
    store::security::addFailure(tx, accountSubject(email), ctx.now());
    if (!host.empty()) store::security::addFailure(tx, addressSubject(host), ctx.now());
}

NewSession openSession(const Context& ctx, store::Tx& tx, const store::UserRecord& user, const std::string& host) {
    NewSession s;
    s.cookieValue = randomHex(32);
    s.csrfToken = randomHex(16);
    s.principal = principalOf(user);
    store::security::insertSession(tx, sha256Hex(s.cookieValue), user.id, s.csrfToken, ctx.now(),
                                   instantIn(ctx, static_cast<long>(ctx.settings.auth.sessionAbsoluteSeconds)));
    store::security::addEvent(tx, user.id, "login", ctx.now(), host);
    return s;
}

std::string newTotpSecret() {
    std::string bytes(20, '\0');
    Poco::RandomInputStream rnd;
    rnd.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return core::totp::base32Encode(bytes);
}

// The user's pending TOTP secret, created when there is none (never replaces an enabled one).
std::string pendingSecret(const Context& ctx, store::Tx& tx, std::int64_t userId) {
    auto row = store::security::totp(tx, userId);
    if (row) return row->secret;
    const std::string secret = newTotpSecret();
    store::security::setPendingTotp(tx, userId, secret, ctx.now());
    return store::security::totp(tx, userId)->secret;
}

std::string issuer(const Context& ctx) {
    return ctx.settings.agencyName.empty() ? std::string("duegate") : ctx.settings.agencyName;
}

}  // namespace

std::optional<Principal> principalForApiKey(Context& ctx, const std::string& apiKey) {
    if (apiKey.size() < 8 || apiKey.size() > 200) return std::nullopt;
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<Principal> {
        auto c = store::creditors::byApiKeyHash(tx, sha256Hex(apiKey));
        // Keys a creditor's users made in the portal (AccountService.h); a revoked one is no key.
        if (!c)
            if (auto id = store::staff::creditorOfApiKey(tx, sha256Hex(apiKey))) c = store::creditors::byId(tx, *id);
        if (!c) return std::nullopt;
        return Principal{c->id, std::nullopt, c->name};
    });
}

LoginResult login(Context& ctx, const LoginAttempt& attempt) {
    const auto& cfg = ctx.settings.auth;
    const std::string email = Poco::toLower(attempt.email);
    const std::string host = clientHost(attempt.remoteAddress);
    LoginResult result;

    // 1. Throttled? Decided before any hash runs, so a flood of guesses costs no CPU.
    std::optional<store::UserRecord> user;
    ThrottleState throttle;
    ctx.db->read([&](store::Tx& tx) {
        user = store::users::byEmail(tx, email);
        throttle = throttleState(ctx, tx, email, host);
    });
    if (throttle.throttled) {
        ctx.db->transaction([&](store::Tx& tx) {
            store::security::addEvent(tx, user ? std::optional(user->id) : std::nullopt, "login_throttled", ctx.now(), host);
        });
        metric("throttled");
        result.outcome = LoginOutcome::Throttled;
        result.retryAfterSeconds = throttle.retryAfterSeconds;
        return result;
    }

    // 2. A bounded number of Argon2id runs at once; over it: busy, not a growing queue.
    // Verify against a dummy hash when the user does not exist, so timing does not tell.
    static const std::string dummy = hashPassword("duegate-dummy-password");
    bool ok = false;
    {
        HashSlot slot(cfg.maxConcurrentHashes);
        if (!slot.ok()) {
            metric("busy");
            result.outcome = LoginOutcome::Busy;
            result.retryAfterSeconds = 1;
            return result;
        }
        ok = verifyCounted(attempt.password, user ? user->passwordHash : dummy) && user.has_value();
    }

    // 3. The verdict.
    return ctx.db->transaction([&](store::Tx& tx) {
        // A disabled user (AccountService.h) is refused like a wrong password.
        if (!ok || store::staff::isDisabled(tx, user->id)) {
            recordFailure(ctx, tx, email, host);
            store::security::addEvent(tx, user ? std::optional(user->id) : std::nullopt, "login_failed", ctx.now(), host);
            metric("wrong");
            result.outcome = LoginOutcome::Wrong;
            return result;
        }
        store::security::clearFailures(tx, accountSubject(email));
        // Rotation: whatever session the browser came with ends here; the new one has a new id.
        if (!attempt.previousCookie.empty()) store::security::deleteSession(tx, sha256Hex(attempt.previousCookie));
        if (cfg.staffTotp != "off") {
            const auto totp = store::security::totp(tx, user->id);
            const bool enabled = totp && totp->enabled;
            const bool mustEnrol = !enabled && user->role == "staff" && cfg.staffTotp == "required";
            if (enabled || mustEnrol) {
                result.outcome = LoginOutcome::SecondStep;
                result.challengeKind = enabled ? "totp" : "enrol";
                result.challengeToken = randomHex(32);
                store::security::insertChallenge(tx, sha256Hex(result.challengeToken), user->id, result.challengeKind,
                                                 ctx.now(), instantIn(ctx, kChallengeSeconds));
                store::security::addEvent(tx, user->id, "login_password_ok", ctx.now(), host, result.challengeKind);
                metric("second_step");
                return result;
            }
        }
        result.outcome = LoginOutcome::Ok;
        result.session = openSession(ctx, tx, *user, host);
        metric("ok");
        return result;
    });
}

std::optional<ChallengeView> challengeFor(Context& ctx, const std::string& challengeToken) {
    if (challengeToken.size() != 64) return std::nullopt;
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<ChallengeView> {
        auto ch = store::security::challenge(tx, sha256Hex(challengeToken), ctx.now());
        if (!ch) return std::nullopt;
        auto user = store::users::byId(tx, ch->userId);
        if (!user) return std::nullopt;
        ChallengeView v;
        v.kind = ch->kind;
        v.email = user->email;
        if (ch->kind == "enrol") {
            v.secret = pendingSecret(ctx, tx, user->id);
            v.otpauthUri = core::totp::otpauthUri(issuer(ctx), user->email, v.secret);
        }
        return v;
    });
}

LoginResult completeSecondStep(Context& ctx, const std::string& challengeToken, const std::string& code,
                               const std::string& remoteAddress) {
    const std::string host = clientHost(remoteAddress);
    LoginResult result;
    if (challengeToken.size() != 64) return result;
    const std::string tokenHash = sha256Hex(challengeToken);
    return ctx.db->transaction([&](store::Tx& tx) {
        auto ch = store::security::challenge(tx, tokenHash, ctx.now());
        if (!ch) return result;
        auto user = store::users::byId(tx, ch->userId);
        auto totp = store::security::totp(tx, ch->userId);
        if (!user || !totp || (ch->kind == "totp") != totp->enabled) return result;
        const auto t = throttleState(ctx, tx, user->email, host);
        if (t.throttled) {
            result.outcome = LoginOutcome::Throttled;
            result.retryAfterSeconds = t.retryAfterSeconds;
            return result;
        }
        const auto key = core::totp::base32Decode(totp->secret);
        std::optional<std::uint64_t> step;
        if (key) step = core::totp::verify(*key, Poco::trim(code), ctx.clock->now().epochTime(),
                                           static_cast<std::uint64_t>(totp->lastStep));
        if (!step || !store::security::useTotpStep(tx, user->id, static_cast<std::int64_t>(*step))) {
            store::security::countChallengeAttempt(tx, tokenHash);
            if (ch->attempts + 1 >= kMaxChallengeAttempts) store::security::deleteChallenge(tx, tokenHash);
            recordFailure(ctx, tx, user->email, host);
            store::security::addEvent(tx, user->id, "totp_failed", ctx.now(), host);
            metric("totp_wrong");
            return result;
        }
        if (ch->kind == "enrol") {
            store::security::enableTotp(tx, user->id, static_cast<std::int64_t>(*step), ctx.now());
            store::security::addEvent(tx, user->id, "totp_enabled", ctx.now(), host);
        }
        store::security::deleteChallenge(tx, tokenHash);
        store::security::clearFailures(tx, accountSubject(user->email));
        result.outcome = LoginOutcome::Ok;
        result.session = openSession(ctx, tx, *user, host);
        metric("ok");
        return result;
    });
}

std::optional<ActiveSession> sessionIn(Context& ctx, store::Tx& tx, const std::string& cookieValue, SessionCheck& check) {
    check.touch = false;
    if (cookieValue.size() != 64) return std::nullopt;
    check.tokenHash = sha256Hex(cookieValue);
    // The session and its user in one query: this runs on every page view.
    auto su = store::security::liveSessionUser(tx, check.tokenHash, ctx.now(),
                                               instantIn(ctx, -static_cast<long>(ctx.settings.auth.sessionIdleSeconds)));
    if (!su) return std::nullopt;
    check.touch = su->session.lastSeenAt < instantIn(ctx, -kTouchEverySeconds);
    return ActiveSession{principalOf(su->user), std::move(su->session.csrfToken), std::move(su->user.email)};
}

void finishSessionCheck(Context& ctx, const SessionCheck& check) {
    // The idle clock restarts at most once a minute: not one write per page view.
    if (check.touch)
        ctx.db->transaction([&](store::Tx& tx) { store::security::touchSession(tx, check.tokenHash, ctx.now()); });
}

std::optional<ActiveSession> sessionFor(Context& ctx, const std::string& cookieValue) {
    if (cookieValue.size() != 64) return std::nullopt;
    SessionCheck check;
    auto active = ctx.db->read([&](store::Tx& tx) { return sessionIn(ctx, tx, cookieValue, check); });
    if (active) finishSessionCheck(ctx, check);
    return active;
}

void logout(Context& ctx, const std::string& cookieValue, const std::string& remoteAddress) {
    if (cookieValue.empty()) return;
    ctx.db->transaction([&](store::Tx& tx) {
        const std::string tokenHash = sha256Hex(cookieValue);
        if (auto s = store::security::liveSession(tx, tokenHash, ctx.now(), "0"))
            store::security::addEvent(tx, s->userId, "logout", ctx.now(), clientHost(remoteAddress));
        store::security::deleteSession(tx, tokenHash);
    });
}

std::size_t logoutEverywhere(Context& ctx, std::int64_t userId, const std::string& remoteAddress) {
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto n = store::security::deleteSessionsOf(tx, userId);
        store::security::addEvent(tx, userId, "logout_everywhere", ctx.now(), clientHost(remoteAddress),
                                  std::to_string(n) + " sessions");
        return n;
    });
}

ResetRequestOutcome requestPasswordReset(Context& ctx, const std::string& email, const std::string& remoteAddress,
                                         const ResetMailText& text) {
    const auto& a = ctx.settings.auth;
    const std::string host = clientHost(remoteAddress);
    const std::string hourAgo = instantIn(ctx, -3600);
    return ctx.db->transaction([&](store::Tx& tx) {
        if (store::security::resetRequestsSince(tx, host, hourAgo) >= static_cast<std::int64_t>(a.resetsPerAddressHour))
            return ResetRequestOutcome::Throttled;
        store::security::addResetRequest(tx, host, ctx.now());
        auto user = store::users::byEmail(tx, email);
        // The answer is the same from here on whether or not the address has an account.
        if (!user || store::security::resetsOfUserSince(tx, user->id, hourAgo) >= static_cast<std::int64_t>(a.resetsPerAccountHour))
            return ResetRequestOutcome::Accepted;
        const std::string token = randomHex(32);
        store::security::insertReset(tx, user->id, sha256Hex(token), ctx.now(),
                                     instantIn(ctx, static_cast<long>(a.resetTokenSeconds)), host);
        std::string body = text.body;
        const std::string link = ctx.settings.baseUrl + "/password/reset?token=" + token;
        Poco::replaceInPlace(body, std::string("{link}"), link);
        Poco::replaceInPlace(body, std::string("{minutes}"), std::to_string(a.resetTokenSeconds / 60));
        store::security::queueAccountMail(tx, user->id, "password_reset", user->email, text.subject, body, ctx.now());
        store::security::addEvent(tx, user->id, "password_reset_requested", ctx.now(), host);
        return ResetRequestOutcome::Accepted;
    });
}

bool resetTokenValid(Context& ctx, const std::string& token) {
    if (token.size() != 64) return false;
    return ctx.db->read([&](store::Tx& tx) { return store::security::resetUser(tx, sha256Hex(token), ctx.now()).has_value(); });
}

ResetOutcome resetPassword(Context& ctx, const std::string& token, const std::string& newPassword,
                           const std::string& remoteAddress) {
    if (token.size() != 64) return ResetOutcome::BadToken;
    const std::string tokenHash = sha256Hex(token);
    auto userId = ctx.db->read([&](store::Tx& tx) { return store::security::resetUser(tx, tokenHash, ctx.now()); });
    if (!userId) return ResetOutcome::BadToken;
    if (newPassword.size() < 10 || newPassword.size() > 1024) return ResetOutcome::WeakPassword;
    std::string hash;
    {
        HashSlot slot(ctx.settings.auth.maxConcurrentHashes);
        if (!slot.ok()) return ResetOutcome::Busy;
        countHash();
        hash = hashPassword(newPassword);
    }
    return ctx.db->transaction([&](store::Tx& tx) {
        // One use: of two requests with the same token, only the first marks it used.
        if (!store::security::useReset(tx, tokenHash, *userId, ctx.now())) return ResetOutcome::BadToken;
        store::security::setPasswordHash(tx, *userId, hash);
        const auto ended = store::security::deleteSessionsOf(tx, *userId);
        if (auto u = store::users::byId(tx, *userId)) store::security::clearFailures(tx, accountSubject(u->email));
        store::security::addEvent(tx, *userId, "password_reset", ctx.now(), clientHost(remoteAddress),
                                  std::to_string(ended) + " sessions ended");
        return ResetOutcome::Done;
    });
}

TotpStatus totpStatus(Context& ctx, std::int64_t userId, const std::string& email) {
    return ctx.db->transaction([&](store::Tx& tx) {
        TotpStatus s;
        auto row = store::security::totp(tx, userId);
        if (row && row->enabled) {
            s.enabled = true;
            return s;
        }
        s.secret = pendingSecret(ctx, tx, userId);
        s.otpauthUri = core::totp::otpauthUri(issuer(ctx), email, s.secret);
        return s;
    });
}

bool enableTotp(Context& ctx, std::int64_t userId, const std::string& code, const std::string& remoteAddress) {
    return ctx.db->transaction([&](store::Tx& tx) {
        auto row = store::security::totp(tx, userId);
        if (!row || row->enabled) return false;
        const auto key = core::totp::base32Decode(row->secret);
        if (!key) return false;
        auto step = core::totp::verify(*key, Poco::trim(code), ctx.clock->now().epochTime(),
                                       static_cast<std::uint64_t>(row->lastStep));
        if (!step) {
            store::security::addEvent(tx, userId, "totp_failed", ctx.now(), clientHost(remoteAddress));
            return false;
        }
        store::security::enableTotp(tx, userId, static_cast<std::int64_t>(*step), ctx.now());
        store::security::addEvent(tx, userId, "totp_enabled", ctx.now(), clientHost(remoteAddress));
        return true;
    });
}

AccountView accountView(Context& ctx, std::int64_t userId) {
    return ctx.db->read([&](store::Tx& tx) {
        AccountView v;
        for (const auto& e : store::security::recentEvents(tx, userId, 10)) v.events.emplace_back(e.kind, e.at);
        v.sessions = store::security::countSessionsOf(tx, userId);
        auto row = store::security::totp(tx, userId);
        v.totpEnabled = row && row->enabled;
        v.totpAllowed = ctx.settings.auth.staffTotp != "off";
        return v;
    });
}

std::size_t sendAccountMails(Context& ctx,
                             const std::function<std::string(const std::string&, const std::string&, const std::string&)>& send) {
    const auto due = ctx.db->read([&](store::Tx& tx) { return store::security::dueAccountMails(tx, ctx.now(), 20); });
    std::size_t sent = 0;
    for (const auto& m : due) {
        const std::string error = send(m.recipient, m.subject, m.body);
        ctx.db->transaction([&](store::Tx& tx) {
            if (error.empty()) store::security::accountMailSent(tx, m.id);
            else store::security::accountMailRetry(tx, m.id, instantIn(ctx, 60), error, m.attempts + 1 >= 10);
        });
        if (error.empty()) ++sent;
    }
    return sent;
}

void pruneSecurityTables(Context& ctx) {
    const long keep = std::max<long>(86400, static_cast<long>(ctx.settings.auth.throttleWindowSeconds));
    ctx.db->transaction([&](store::Tx& tx) {
        store::security::prune(tx, ctx.now(), instantIn(ctx, -keep), instantIn(ctx, -2 * 86400).substr(0, 13));
    });
}

std::uint64_t passwordHashesRun() { return gHashes.load(); }

}  // namespace duegate::services
