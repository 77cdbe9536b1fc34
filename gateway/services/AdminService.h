// Use cases of the operator: create creditors and portal users (`duegate creditor add`,
// `duegate user add`). Each is one transaction. Throws InputError for bad input (a malformed
// address or IBAN, an intake address or user e-mail already taken) with a message naming it.
#pragma once

#include "gateway/services/Context.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

struct NewCreditor {
    std::int64_t id;
    std::string apiKey;  // shown once; only its sha256 is stored
};

// What `creditor add` and `creditor set` may change; an empty field is left as it is.
struct CreditorChanges {
    std::optional<std::string> email, iban, bic;
    std::optional<std::string> collectTo;        // creditor | agency
    std::optional<std::string> policy;           // a dunning policy name
    std::vector<std::string> senders;            // 'a@b.c' or '@b.c', added to the list
    std::optional<std::int64_t> feeBasisPoints;  // 0 .. 10000
    std::optional<std::string> senderAuth;       // none | spf_or_dkim
    std::optional<std::string> payoutKeep;       // none | costs | costs_and_interest (core::KeepMode)
};

struct CreditorInput {
    std::string name;
    std::string intakeAddress;
    CreditorChanges settings;
};

// Default mode: 'creditor' when an IBAN is given, else 'agency'. 'creditor' mode without a
// registered IBAN is refused (debtors would have nowhere to pay).
NewCreditor addCreditor(Context& ctx, const CreditorInput& input);
// Throws NotFound for an unknown id, InputError for bad values.
void setCreditor(Context& ctx, std::int64_t creditorId, const CreditorChanges& changes);

struct UserInput {
    std::string email;
    std::optional<std::int64_t> creditorId;  // none: agency staff
    std::string name;
    std::string password;  // at least 10 characters
    // Staff only: may use the admin pages (users.is_admin). Staff made on the command line are
    // admins (the operator); the admin pages choose.
    bool admin = true;
};

std::int64_t addUser(Context& ctx, const UserInput& input);

// "x@y.z" with one '@', a dot in the domain, no spaces or angle brackets.
bool looksLikeMailAddress(const std::string& address);

}  // namespace duegate::services
