#include "gateway/services/AdminService.h"

#include "gateway/core/PaymentAllocation.h"
#include "gateway/services/Secrets.h"
#include "parsers/refs/Iban.h"
#include "store/CreditorRepository.h"
#include "store/StaffRepository.h"

#include <algorithm>
#include <cctype>

namespace duegate::services {

bool looksLikeMailAddress(const std::string& a) {
    const auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at != a.rfind('@') || at + 1 >= a.size()) return false;
    if (a.find_first_of(" \t\r\n<>,;\"") != std::string::npos) return false;
    const std::string domain = a.substr(at + 1);
    return domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.';
}

namespace {

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Validates `ch` and applies it to `c` (in memory); returns the normalised sender patterns.
std::vector<std::string> applyChanges(store::CreditorRecord& c, const CreditorChanges& ch) {
    if (ch.email) {
        if (!looksLikeMailAddress(*ch.email)) throw InputError("--email: not a mail address: '" + *ch.email + "'");
        c.email = *ch.email;
    }
    if (ch.iban) {
        auto iban = parsers::refs::normalizeIban(*ch.iban);
        if (!iban) throw InputError("--iban: not a valid IBAN (country length or check digits): '" + *ch.iban + "'");
        c.iban = *iban;
    }
    if (ch.bic) {
        const std::string& b = *ch.bic;
        const bool ok = (b.size() == 8 || b.size() == 11) &&
                        std::all_of(b.begin(), b.end(), [](char x) { return std::isalnum(static_cast<unsigned char>(x)); });
        if (!ok) throw InputError("--bic: expected 8 or 11 letters and digits: '" + b + "'");
        c.bic = b;
    }
    if (ch.collectTo) {
        if (*ch.collectTo != "creditor" && *ch.collectTo != "agency")
            throw InputError("--collect-to: expected creditor or agency, got '" + *ch.collectTo + "'");
        c.collectTo = *ch.collectTo;
    }
    if (ch.policy) {
        const std::string& p = *ch.policy;
        const bool ok = !p.empty() && p.size() <= 64 && std::all_of(p.begin(), p.end(), [](char x) {
                            return std::isalnum(static_cast<unsigned char>(x)) || x == '-' || x == '_';
                        });
        if (!ok) throw InputError("--policy: expected a policy name (letters, digits, '-', '_'), got '" + p + "'");
        c.policy = p;
    }
    if (ch.feeBasisPoints) {
        if (*ch.feeBasisPoints < 0 || *ch.feeBasisPoints > 10000)
            throw InputError("--fee: expected basis points from 0 to 10000");
        c.feeBasisPoints = *ch.feeBasisPoints;
    }
    if (ch.senderAuth) {
        if (*ch.senderAuth != "none" && *ch.senderAuth != "spf_or_dkim")
            throw InputError("--sender-auth: expected none or spf_or_dkim, got '" + *ch.senderAuth + "'");
        c.senderAuth = *ch.senderAuth;
    }
    if (ch.payoutKeep) {
        if (!core::parseKeepMode(*ch.payoutKeep))
            throw InputError("--keep: expected none, costs or costs_and_interest, got '" + *ch.payoutKeep + "'");
        c.payoutKeep = *ch.payoutKeep;
    }
    if (c.collectTo == "creditor" && !c.iban)
        throw InputError("--collect-to creditor: the creditor has no registered IBAN (give --iban)");
    std::vector<std::string> senders;
    for (const auto& s : ch.senders) {
        const std::string p = lowerAscii(s);
        const bool domain = !p.empty() && p[0] == '@' && p.size() > 3 && p.find('.', 2) != std::string::npos &&
                            p.find_first_of(" \t<>,;\"@", 1) == std::string::npos;
        if (!domain && !looksLikeMailAddress(p))
            throw InputError("--sender: expected an address (a@b.example) or a domain (@b.example), got '" + s + "'");
        senders.push_back(p);
    }
    return senders;
}

void storeSettings(Context& ctx, store::Tx& tx, const store::CreditorRecord& c, const std::vector<std::string>& senders) {
    const std::string now = ctx.now();
    if (c.iban) store::creditors::addIban(tx, c.id, *c.iban, c.bic, now);
    for (const auto& s : senders) store::creditors::addSender(tx, c.id, s, now);
}

}  // namespace

NewCreditor addCreditor(Context& ctx, const CreditorInput& in) {
    if (in.name.empty()) throw InputError("--name: must not be empty");
    if (!looksLikeMailAddress(in.intakeAddress))
        throw InputError("--intake: not a mail address: '" + in.intakeAddress + "'");
    store::CreditorRecord c;
    c.name = in.name;
    c.intakeAddress = in.intakeAddress;
    c.collectTo = in.settings.iban ? "creditor" : "agency";
    const auto senders = applyChanges(c, in.settings);
    const std::string apiKey = "dg_" + randomHex(24);
    try {
        const auto id = ctx.db->transaction([&](store::Tx& tx) {
            c.id = store::creditors::insert(tx, c, sha256Hex(apiKey), ctx.now());
            storeSettings(ctx, tx, c, senders);
            return c.id;
        });
        return {id, apiKey};
    } catch (const store::UniqueViolation&) {
        throw InputError("--intake: the intake address " + in.intakeAddress + " belongs to another creditor");
    }
}

void setCreditor(Context& ctx, std::int64_t creditorId, const CreditorChanges& changes) {
    ctx.db->transaction([&](store::Tx& tx) {
        auto c = store::creditors::byId(tx, creditorId);
        if (!c) throw NotFound("no creditor with id " + std::to_string(creditorId));
        const auto senders = applyChanges(*c, changes);
        store::creditors::update(tx, *c);
        storeSettings(ctx, tx, *c, senders);
    });
}

std::int64_t addUser(Context& ctx, const UserInput& in) {
    if (!looksLikeMailAddress(in.email)) throw InputError("--email: not a mail address: '" + in.email + "'");
    if (in.password.size() < 10) throw InputError("password: at least 10 characters");
    store::UserRecord u;
    u.email = in.email;
    u.creditorId = in.creditorId;
    u.name = in.name.empty() ? in.email : in.name;
    u.role = in.creditorId ? "creditor" : "staff";
    u.passwordHash = hashPassword(in.password);
    try {
        return ctx.db->transaction([&](store::Tx& tx) {
            if (in.creditorId && !store::creditors::byId(tx, *in.creditorId))
                throw InputError("--creditor: no creditor with id " + std::to_string(*in.creditorId));
            const auto id = store::users::insert(tx, u, ctx.now());
            if (!in.creditorId && in.admin) store::staff::setAdmin(tx, id, true);
            return id;
        });
    } catch (const store::UniqueViolation&) {
        throw InputError("--email: a user with " + in.email + " exists already");
    }
}

}  // namespace duegate::services
