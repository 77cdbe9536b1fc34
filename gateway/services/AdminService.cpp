#include "gateway/services/AdminService.h"

#include "gateway/services/Secrets.h"
#include "parsers/refs/Iban.h"
#include "store/CreditorRepository.h"

#include <algorithm>

namespace duegate::services {

bool looksLikeMailAddress(const std::string& a) {
    const auto at = a.find('@');
    if (at == std::string::npos || at == 0 || at != a.rfind('@') || at + 1 >= a.size()) return false;
    if (a.find_first_of(" \t\r\n<>,;\"") != std::string::npos) return false;
    const std::string domain = a.substr(at + 1);
    return domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.';
}

NewCreditor addCreditor(Context& ctx, const CreditorInput& in) {
    if (in.name.empty()) throw InputError("--name: must not be empty");
    if (!looksLikeMailAddress(in.intakeAddress))
        throw InputError("--intake: not a mail address: '" + in.intakeAddress + "'");
    if (in.email && !looksLikeMailAddress(*in.email)) throw InputError("--email: not a mail address: '" + *in.email + "'");
    store::CreditorRecord c;
    c.name = in.name;
    c.intakeAddress = in.intakeAddress;
    c.email = in.email;
    if (in.iban) {
        auto iban = parsers::refs::normalizeIban(*in.iban);
        if (!iban) throw InputError("--iban: not a valid IBAN (country length or check digits): '" + *in.iban + "'");
        c.iban = *iban;
    }
    if (in.bic) {
        const std::string& b = *in.bic;
        const bool ok = (b.size() == 8 || b.size() == 11) &&
                        std::all_of(b.begin(), b.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); });
        if (!ok) throw InputError("--bic: expected 8 or 11 letters and digits: '" + b + "'");
        c.bic = b;
    }
    const std::string apiKey = "dg_" + randomHex(24);
    try {
        const auto id = ctx.db->transaction(
            [&](store::Tx& tx) { return store::creditors::insert(tx, c, sha256Hex(apiKey), ctx.now()); });
        return {id, apiKey};
    } catch (const store::UniqueViolation&) {
        throw InputError("--intake: the intake address " + in.intakeAddress + " belongs to another creditor");
    }
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
            return store::users::insert(tx, u, ctx.now());
        });
    } catch (const store::UniqueViolation&) {
        throw InputError("--email: a user with " + in.email + " exists already");
    }
}

}  // namespace duegate::services
