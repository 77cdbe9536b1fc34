#include "gateway/services/AuthService.h"

#include "gateway/services/Secrets.h"
#include "store/CreditorRepository.h"
#include "store/StaffRepository.h"
#include "store/Time.h"

#include <Poco/Timespan.h>

namespace duegate::services {
namespace {

constexpr int kSessionHours = 12;

Principal principalOf(const store::UserRecord& u) { return Principal{u.creditorId, u.id, u.name}; }

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

std::optional<NewSession> login(Context& ctx, const std::string& email, const std::string& password) {
    auto user = ctx.db->transaction([&](store::Tx& tx) { return store::users::byEmail(tx, email); });
    // Verify against a dummy hash when the user does not exist, so timing does not tell.
    static const std::string dummy = hashPassword("duegate-dummy-password");
    const bool ok = verifyPassword(password, user ? user->passwordHash : dummy) && user.has_value();
    if (!ok) return std::nullopt;
    // A disabled user (AccountService.h) is refused like a wrong password.
    if (ctx.db->transaction([&](store::Tx& tx) { return store::staff::isDisabled(tx, user->id); })) return std::nullopt;
    NewSession s;
    s.cookieValue = randomHex(32);
    s.csrfToken = randomHex(16);
    s.principal = principalOf(*user);
    const std::string expires = store::formatInstant(ctx.clock->now() + Poco::Timespan(kSessionHours * 3600L, 0));
    ctx.db->transaction([&](store::Tx& tx) {
        store::users::insertSession(tx, sha256Hex(s.cookieValue), user->id, s.csrfToken, ctx.now(), expires);
    });
    return s;
}

std::optional<ActiveSession> sessionFor(Context& ctx, const std::string& cookieValue) {
    if (cookieValue.size() != 64) return std::nullopt;
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<ActiveSession> {
        auto s = store::users::session(tx, sha256Hex(cookieValue), ctx.now());
        if (!s) return std::nullopt;
        auto u = store::users::byId(tx, s->userId);
        if (!u) return std::nullopt;
        return ActiveSession{principalOf(*u), s->csrfToken};
    });
}

void logout(Context& ctx, const std::string& cookieValue) {
    ctx.db->transaction([&](store::Tx& tx) { store::users::deleteSession(tx, sha256Hex(cookieValue)); });
}

}  // namespace duegate::services
