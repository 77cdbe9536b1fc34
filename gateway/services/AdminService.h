// Use cases of the operator: create creditors and portal users (`duegate creditor add`,
// `duegate user add`). Each is one transaction. Throws InputError for bad input (a malformed
// address or IBAN, an intake address or user e-mail already taken) with a message naming it.
#pragma once

#include "gateway/services/Context.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services {

struct NewCreditor {
    std::int64_t id;
    std::string apiKey;  // shown once; only its sha256 is stored
};

struct CreditorInput {
    std::string name;
    std::string intakeAddress;
    std::optional<std::string> email, iban, bic;
};

NewCreditor addCreditor(Context& ctx, const CreditorInput& input);

struct UserInput {
    std::string email;
    std::optional<std::int64_t> creditorId;  // none: agency staff
    std::string name;
    std::string password;  // at least 10 characters
};

std::int64_t addUser(Context& ctx, const UserInput& input);

// "x@y.z" with one '@', a dot in the domain, no spaces or angle brackets.
bool looksLikeMailAddress(const std::string& address);

}  // namespace duegate::services
