// Portal sessions and CSRF, on top of services/AuthService (which stores only hashes).
//
// Cookies (docs/portal.md):
//   dg_session     the session (random, 64 hex); HttpOnly; SameSite=Lax; Path=/; + Secure on https.
//   dg_login_csrf  a pre-session CSRF token for the login form only (double submit: the form field
//                  must equal the cookie); HttpOnly; SameSite=Strict; Path=/login; 1 hour.
// After login every form carries the session's own CSRF token (services::ActiveSession::csrfToken).
#pragma once

#include "gateway/services/AuthService.h"
#include "portal/Http.h"

#include <optional>
#include <string>

namespace duegate::portal {

inline constexpr const char* kSessionCookie = "dg_session";
inline constexpr const char* kLoginCsrfCookie = "dg_login_csrf";

// The session of the request's dg_session cookie, if it is valid and not expired.
std::optional<services::ActiveSession> currentSession(services::Context& ctx, const Request& req);

// The creditor of `Authorization: Bearer KEY`, else the user of a valid session cookie.
std::optional<services::Principal> apiPrincipal(services::Context& ctx, const Request& req);

std::string sessionCookie(const std::string& value, bool secure);
std::string clearSessionCookie(bool secure);
std::string loginCsrfCookie(const std::string& token, bool secure);
std::string clearLoginCsrfCookie(bool secure);

// True when `submitted` is non-empty and equals `expected` (constant time).
bool csrfMatches(const std::string& expected, const std::string& submitted);

}  // namespace duegate::portal
