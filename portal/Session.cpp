#include "portal/Session.h"

#include "gateway/services/Secrets.h"

#include <Poco/String.h>

namespace duegate::portal {

std::optional<services::ActiveSession> currentSession(services::Context& ctx, const Request& req) {
    auto cookie = req.cookie(kSessionCookie);
    if (!cookie || cookie->empty()) return std::nullopt;
    return services::sessionFor(ctx, *cookie);
}

std::optional<services::Principal> apiPrincipal(services::Context& ctx, const Request& req) {
    const std::string auth = req.header("Authorization");
    if (!auth.empty()) {
        // A request that presents a key is judged by that key alone, never by a cookie next to it.
        if (auth.size() < 7 || Poco::icompare(auth.substr(0, 7), std::string("Bearer ")) != 0) return std::nullopt;
        return services::principalForApiKey(ctx, Poco::trim(auth.substr(7)));
    }
    if (auto s = currentSession(ctx, req)) return s->principal;
    return std::nullopt;
}

std::string sessionCookie(const std::string& value, bool secure) {
    CookieSpec c;
    c.name = kSessionCookie;
    c.value = value;
    c.secure = secure;
    return setCookieValue(c);
}

std::string clearSessionCookie(bool secure) {
    CookieSpec c;
    c.name = kSessionCookie;
    c.maxAgeSeconds = 0;
    c.secure = secure;
    return setCookieValue(c);
}

std::string loginCsrfCookie(const std::string& token, bool secure) {
    CookieSpec c;
    c.name = kLoginCsrfCookie;
    c.value = token;
    c.path = "/login";
    c.sameSite = "Strict";
    c.maxAgeSeconds = 3600;
    c.secure = secure;
    return setCookieValue(c);
}

std::string clearLoginCsrfCookie(bool secure) {
    CookieSpec c;
    c.name = kLoginCsrfCookie;
    c.path = "/login";
    c.sameSite = "Strict";
    c.maxAgeSeconds = 0;
    c.secure = secure;
    return setCookieValue(c);
}

bool csrfMatches(const std::string& expected, const std::string& submitted) {
    return !expected.empty() && !submitted.empty() && services::constantTimeEquals(expected, submitted);
}

}  // namespace duegate::portal
