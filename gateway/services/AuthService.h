// Authentication for the portal and the API.
//
// API: `Authorization: Bearer <api key>` -> the creditor (only the key's sha256 is stored).
// Portal: e-mail + password (Argon2id) -> a session; the cookie value is random, only its sha256
// is stored, and each session has its own CSRF token that every form must echo.
// Sessions last 12 hours. Failed logins do not say whether the e-mail exists.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"

#include <optional>
#include <string>

namespace duegate::services {

std::optional<Principal> principalForApiKey(Context& ctx, const std::string& apiKey);

struct NewSession {
    std::string cookieValue;
    std::string csrfToken;
    Principal principal;
};
std::optional<NewSession> login(Context& ctx, const std::string& email, const std::string& password);

struct ActiveSession {
    Principal principal;
    std::string csrfToken;
};
std::optional<ActiveSession> sessionFor(Context& ctx, const std::string& cookieValue);
void logout(Context& ctx, const std::string& cookieValue);

}  // namespace duegate::services
