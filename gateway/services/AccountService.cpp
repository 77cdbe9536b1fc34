#include "gateway/services/AccountService.h"

#include "gateway/services/PortalService.h"
#include "gateway/services/Secrets.h"
#include "parsers/common/JsonWriter.h"
#include "platform/Log.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/SecurityRepository.h"

namespace duegate::services {
namespace {

bool adminIn(store::Tx& tx, const Principal& who) {
    if (!who.staff() || !who.userId) return false;
    const auto u = store::staff::user(tx, std::nullopt, *who.userId);
    return u && u->admin && !u->disabledAt && u->user.role == "staff";
}

void requireAdmin(Context& ctx, const Principal& who) {
    if (!isAdmin(ctx, who)) throw Forbidden("staff admins only");
}

// A creditor's dossier-less event (the account's own timeline), naming who did it.
void accountEvent(Context& ctx, store::Tx& tx, std::int64_t creditorId, const std::string& kind,
                  const Principal& who, const std::string& summary) {
    parsers::JsonWriter w;
    w.beginObject().field("user", who.userId).endObject();
    store::events::append(tx, store::EventRecord{0, creditorId, std::nullopt, ctx.now(), kind, "web",
                                                 summary + " by " + who.displayName, w.str()});
}

void staffLog(const Principal& who, const std::string& what) {
    platform::logInfo("accounts", what, {{"by", who.displayName}});
}

}  // namespace

bool isAdmin(Context& ctx, const Principal& who) {
    if (!who.staff() || !who.userId) return false;
    return ctx.db->transaction([&](store::Tx& tx) { return adminIn(tx, who); });
}

std::vector<store::CreditorRecord> adminCreditors(Context& ctx, const Principal& who) {
    requireAdmin(ctx, who);
    return ctx.db->transaction([&](store::Tx& tx) { return store::creditors::all(tx); });
}

std::optional<CreditorAdminView> adminCreditor(Context& ctx, const Principal& who, std::int64_t creditorId) {
    requireAdmin(ctx, who);
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<CreditorAdminView> {
        auto c = store::creditors::byId(tx, creditorId);
        if (!c) return std::nullopt;
        return CreditorAdminView{*c, store::creditors::senders(tx, c->id), store::creditors::ibans(tx, c->id)};
    });
}

NewCreditor adminAddCreditor(Context& ctx, const Principal& who, const CreditorInput& input) {
    requireAdmin(ctx, who);
    auto created = addCreditor(ctx, input);
    ctx.db->transaction([&](store::Tx& tx) {
        accountEvent(ctx, tx, created.id, "creditor_created", who, "Creditor " + input.name + " created");
    });
    return created;
}

void adminSetCreditor(Context& ctx, const Principal& who, std::int64_t creditorId, const CreditorChanges& changes) {
    requireAdmin(ctx, who);
    setCreditor(ctx, creditorId, changes);
    ctx.db->transaction([&](store::Tx& tx) {
        std::string what;
        auto add = [&](const char* name, bool changed) {
            if (changed) what += (what.empty() ? "" : ", ") + std::string(name);
        };
        add("e-mail", changes.email.has_value());
        add("IBAN", changes.iban.has_value());
        add("BIC", changes.bic.has_value());
        add("collection mode", changes.collectTo.has_value());
        add("policy", changes.policy.has_value());
        add("senders", !changes.senders.empty());
        add("fee", changes.feeBasisPoints.has_value());
        add("sender authentication", changes.senderAuth.has_value());
        accountEvent(ctx, tx, creditorId, "creditor_changed", who,
                     "Creditor settings changed (" + (what.empty() ? std::string("nothing") : what) + ")");
    });
}

std::vector<store::staff::UserRow> managedUsers(Context& ctx, const Principal& who) {
    return ctx.db->transaction([&](store::Tx& tx) {
        if (who.creditorId) return store::staff::users(tx, who.creditorId);
        if (!adminIn(tx, who)) throw Forbidden("staff admins only");
        return store::staff::users(tx, std::nullopt);
    });
}

std::int64_t createUser(Context& ctx, const Principal& who, const NewUserInput& in) {
    UserInput u;
    u.email = in.email;
    u.name = in.name;
    u.password = in.password;
    if (who.creditorId) {
        if (in.role != "creditor") throw Forbidden("a creditor user creates users of their own account only");
        u.creditorId = who.creditorId;
    } else {
        requireAdmin(ctx, who);
        if (in.role == "creditor") {
            if (!in.creditorId) throw InputError("creditor: choose the account of the new user");
            u.creditorId = in.creditorId;
        } else if (in.role == "staff" || in.role == "admin") {
            u.admin = in.role == "admin";
        } else {
            throw InputError("role: creditor, staff or admin");
        }
    }
    const auto id = addUser(ctx, u);
    if (u.creditorId)
        ctx.db->transaction([&](store::Tx& tx) {
            accountEvent(ctx, tx, *u.creditorId, "user_created", who, "Portal user " + in.email + " created");
        });
    else
        staffLog(who, "staff user " + in.email + " created (" + in.role + ")");
    return id;
}

void setUserDisabled(Context& ctx, const Principal& who, std::int64_t userId, bool disabled) {
    if (who.userId && *who.userId == userId) throw InputError("you cannot disable or enable yourself");
    ctx.db->transaction([&](store::Tx& tx) {
        if (!who.creditorId && !adminIn(tx, who)) throw Forbidden("staff admins only");
        const auto u = store::staff::user(tx, who.creditorId, userId);
        if (!u) throw NotFound("no user " + std::to_string(userId));
        store::staff::setDisabled(tx, who.creditorId, userId,
                                  disabled ? std::optional<std::string>(ctx.now()) : std::nullopt);
        const std::string what = "Portal user " + u->user.email + (disabled ? " disabled" : " enabled");
        if (u->user.creditorId) accountEvent(ctx, tx, *u->user.creditorId, disabled ? "user_disabled" : "user_enabled", who, what);
        else staffLog(who, what);
    });
}

void resetTotp(Context& ctx, const Principal& who, std::int64_t userId, const std::string& remoteAddress) {
    if (who.userId && *who.userId == userId) throw InputError("you cannot reset your own second factor");
    ctx.db->transaction([&](store::Tx& tx) {
        if (!who.creditorId && !adminIn(tx, who)) throw Forbidden("staff admins only");
        const auto u = store::staff::user(tx, who.creditorId, userId);
        if (!u) throw NotFound("no user " + std::to_string(userId));
        if (!u->totpEnabled || !store::security::deleteTotp(tx, userId))
            throw InputError("user " + u->user.email + " has no second factor");
        const auto sessions = store::security::deleteSessionsOf(tx, userId);
        store::security::addEvent(tx, userId, "totp_reset", ctx.now(), remoteAddress,
                                  "by " + who.displayName + "; " + std::to_string(sessions) + " sessions ended");
        const std::string what = "Second factor of portal user " + u->user.email + " reset";
        if (u->user.creditorId) accountEvent(ctx, tx, *u->user.creditorId, "user_totp_reset", who, what);
        else staffLog(who, what);
    });
}

void setStaffRole(Context& ctx, const Principal& who, std::int64_t userId, const std::string& role) {
    if (role != "staff" && role != "admin") throw InputError("role: staff or admin");
    if (who.userId && *who.userId == userId) throw InputError("you cannot change your own role");
    ctx.db->transaction([&](store::Tx& tx) {
        if (!adminIn(tx, who)) throw Forbidden("staff admins only");
        const auto u = store::staff::user(tx, std::nullopt, userId);
        if (!u) throw NotFound("no user " + std::to_string(userId));
        if (u->user.role != "staff") throw InputError("role: only staff users are staff or admin");
        store::staff::setAdmin(tx, userId, role == "admin");
        staffLog(who, "staff user " + u->user.email + " is now " + role);
    });
}

std::vector<store::staff::ApiKeyRow> ownApiKeys(Context& ctx, const Principal& who) {
    if (!who.creditorId) throw Forbidden("a creditor's own keys");
    return ctx.db->transaction([&](store::Tx& tx) { return store::staff::apiKeys(tx, *who.creditorId); });
}

NewApiKey createApiKey(Context& ctx, const Principal& who, const std::string& name) {
    if (!who.creditorId) throw Forbidden("a creditor's own keys");
    if (name.empty() || name.size() > 100) throw InputError("name: 1 to 100 characters");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) throw InputError("name: 1 to 100 characters");
    NewApiKey k;
    k.key = "dg_" + randomHex(24);
    k.id = ctx.db->transaction([&](store::Tx& tx) {
        const auto id = store::staff::insertApiKey(tx, *who.creditorId, name, sha256Hex(k.key), who.userId, ctx.now());
        accountEvent(ctx, tx, *who.creditorId, "api_key_created", who, "API key '" + name + "' created");
        return id;
    });
    return k;
}

void revokeApiKey(Context& ctx, const Principal& who, std::int64_t keyId) {
    if (!who.creditorId) throw Forbidden("a creditor's own keys");
    ctx.db->transaction([&](store::Tx& tx) {
        if (!store::staff::revokeApiKey(tx, *who.creditorId, keyId, ctx.now()))
            throw NotFound("no live API key " + std::to_string(keyId));
        accountEvent(ctx, tx, *who.creditorId, "api_key_revoked", who, "API key " + std::to_string(keyId) + " revoked");
    });
}

}  // namespace duegate::services
