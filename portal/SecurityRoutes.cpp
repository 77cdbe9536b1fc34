// Login security pages (issue 14 item 5; docs/portal.md "Security"):
//   GET/POST /login/totp          the second step of a login (TOTP code, or enrolment for staff)
//   GET/POST /password/forgot     ask a reset link by mail (same answer whether the address exists)
//   GET/POST /password/reset      choose a new password with the one-use token from the mail
//   GET /security                 the user's sessions, TOTP state and recent security events
//   POST /security/logout-everywhere, GET/POST /security/totp
// Pre-session forms carry a double-submit CSRF token (cookie dg_pre_csrf, SameSite=Strict); forms
// of a session carry the session's own token. Throttled answers are 429 with Retry-After and a page
// in the reader's language; a full password-hashing gate is 503 with Retry-After.
#include "portal/Routes.h"

#include "gateway/services/AuthService.h"
#include "gateway/services/Secrets.h"
#include "portal/I18n.h"
#include "portal/Session.h"
#include "portal/pages/Pages.h"
#include "portal/pages/SecurityPages.h"

namespace duegate::portal {
namespace {

constexpr const char* kPreCsrfCookie = "dg_pre_csrf";
constexpr const char* kStepCookie = "dg_login_step";
constexpr std::size_t kMaxEmail = 320;

std::string field(const std::map<std::string, std::string>& form, const char* name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

// The pre-session CSRF token of the cookie (so two tabs keep working), else a fresh one.
std::string preCsrfToken(const Request& req) {
    auto existing = req.cookie(kPreCsrfCookie);
    if (existing && existing->size() == 32 && existing->find_first_not_of("0123456789abcdef") == std::string::npos)
        return *existing;
    return services::randomHex(16);
}

std::string preCsrfCookie(const std::string& token, bool secure) {
    CookieSpec c;
    c.name = kPreCsrfCookie;
    c.value = token;
    c.sameSite = "Strict";
    c.maxAgeSeconds = 3600;
    c.secure = secure;
    return setCookieValue(c);
}

bool preCsrfOk(const Request& req, const std::map<std::string, std::string>& form) {
    return csrfMatches(req.cookie(kPreCsrfCookie).value_or(""), field(form, "csrf"));
}

Response withPreCsrf(Response r, const std::string& token, bool secure) {
    r.headers.emplace_back("Set-Cookie", preCsrfCookie(token, secure));
    return r;
}

std::string stepCookie(const std::string& value, bool secure, bool clear) {
    CookieSpec c;
    c.name = kStepCookie;
    c.value = value;
    c.path = "/login/totp";
    c.sameSite = "Strict";
    c.maxAgeSeconds = clear ? 0 : 300;
    c.secure = secure;
    return setCookieValue(c);
}

Response localized(int status, const Request& req, const char* titleKey, const std::string& text) {
    const std::string lang = requestLanguage(req);
    return Response::html(status, pages::errorPage(lang, i18n::text(lang, titleKey), text));
}

Response forbiddenForm(const Request& req) {
    const std::string lang = requestLanguage(req);
    return localized(403, req, "forbidden_title", i18n::text(lang, "forbidden_text"));
}

Response tooMany(const Request& req, int retryAfterSeconds) {
    const std::string lang = requestLanguage(req);
    const int minutes = std::max(1, (retryAfterSeconds + 59) / 60);
    Response r = localized(429, req, "sec_too_many_title",
                           i18n::text(lang, "sec_too_many_text", {{"minutes", std::to_string(minutes)}}));
    r.headers.emplace_back("Retry-After", std::to_string(std::max(1, retryAfterSeconds)));
    return r;
}

Response busy(const Request& req, int retryAfterSeconds) {
    Response r = localized(503, req, "sec_busy_title", i18n::text(requestLanguage(req), "sec_busy_text"));
    r.headers.emplace_back("Retry-After", std::to_string(std::max(1, retryAfterSeconds)));
    return r;
}

template <class F>
Response withSession(services::Context& ctx, const Request& req, F&& page) {
    auto session = currentSession(ctx, req);
    if (!session || !session->principal.userId) return Response::redirect("/login");
    return page(*session);
}

}  // namespace

Response loginOutcomeResponse(const Request& req, const services::LoginResult& result, bool secure) {
    using services::LoginOutcome;
    switch (result.outcome) {
    case LoginOutcome::Throttled: return tooMany(req, result.retryAfterSeconds);
    case LoginOutcome::Busy: return busy(req, result.retryAfterSeconds);
    case LoginOutcome::SecondStep: {
        Response r = Response::redirect("/login/totp");
        r.headers.emplace_back("Set-Cookie", stepCookie(result.challengeToken, secure, false));
        return r;
    }
    case LoginOutcome::Ok: {
        Response r = Response::redirect("/");
        r.headers.emplace_back("Set-Cookie", sessionCookie(result.session->cookieValue, secure));
        r.headers.emplace_back("Set-Cookie", clearLoginCsrfCookie(secure));
        r.headers.emplace_back("Set-Cookie", stepCookie("", secure, true));
        return r;
    }
    case LoginOutcome::Wrong: break;
    }
    return Response::redirect("/login");
}

std::string loginNotice(const Request& req, const std::string& lang) {
    auto it = req.query.find("done");
    if (it == req.query.end()) return {};
    if (it->second == "reset") return i18n::text(lang, "sec_reset_done");
    if (it->second == "expired") return i18n::text(lang, "sec_totp_expired");
    return {};
}

void addSecurityRoutes(Router& router, services::Context& ctx, const PortalOptions& opts) {
    const bool secure = opts.secureCookies;

    // --- the second step of a login ---
    router.add("GET", "/login/totp", [&ctx, secure](Request& req) {
        const auto view = services::challengeFor(ctx, req.cookie(kStepCookie).value_or(""));
        if (!view) return Response::redirect("/login?done=expired");
        const std::string token = preCsrfToken(req);
        return withPreCsrf(Response::html(200, pages::loginTotpPage(requestLanguage(req), token, *view, "")), token,
                           secure);
    });

    router.add("POST", "/login/totp", [&ctx, secure](Request& req) {
        const auto form = req.form();
        if (!preCsrfOk(req, form)) return forbiddenForm(req);
        const std::string step = req.cookie(kStepCookie).value_or("");
        const auto result = services::completeSecondStep(ctx, step, field(form, "code").substr(0, 20), req.remoteAddress);
        if (result.outcome != services::LoginOutcome::Wrong) return loginOutcomeResponse(req, result, secure);
        const auto view = services::challengeFor(ctx, step);
        if (!view) return Response::redirect("/login?done=expired");
        const std::string lang = requestLanguage(req);
        return Response::html(401, pages::loginTotpPage(lang, field(form, "csrf"), *view, i18n::text(lang, "sec_totp_wrong")));
    });

    // --- password reset by mail ---
    router.add("GET", "/password/forgot", [secure](Request& req) {
        const std::string token = preCsrfToken(req);
        return withPreCsrf(Response::html(200, pages::passwordForgotPage(requestLanguage(req), token,
                                                                         req.query.count("sent") > 0)),
                           token, secure);
    });

    router.add("POST", "/password/forgot", [&ctx](Request& req) {
        const auto form = req.form();
        if (!preCsrfOk(req, form)) return forbiddenForm(req);
        const std::string email = field(form, "email");
        if (email.empty() || email.size() > kMaxEmail) return Response::redirect("/password/forgot");
        const std::string lang = requestLanguage(req);
        const services::ResetMailText text{i18n::text(lang, "sec_reset_mail_subject"), i18n::text(lang, "sec_reset_mail_body")};
        if (services::requestPasswordReset(ctx, email, req.remoteAddress, text) ==
            services::ResetRequestOutcome::Throttled)
            return tooMany(req, 3600);
        // The same answer whether or not the address has an account.
        return Response::redirect("/password/forgot?sent=1");
    });

    router.add("GET", "/password/reset", [&ctx, secure](Request& req) {
        auto it = req.query.find("token");
        const std::string resetToken = it == req.query.end() ? std::string() : it->second.substr(0, 100);
        const std::string lang = requestLanguage(req);
        if (!services::resetTokenValid(ctx, resetToken))
            return localized(404, req, "sec_reset_bad_title", i18n::text(lang, "sec_reset_bad_text"));
        const std::string token = preCsrfToken(req);
        return withPreCsrf(Response::html(200, pages::passwordResetPage(lang, token, resetToken, "")), token, secure);
    });

    router.add("POST", "/password/reset", [&ctx](Request& req) {
        const auto form = req.form();
        if (!preCsrfOk(req, form)) return forbiddenForm(req);
        const std::string resetToken = field(form, "token").substr(0, 100);
        const std::string password = field(form, "password");
        const std::string lang = requestLanguage(req);
        if (password != field(form, "password2"))
            return Response::html(422, pages::passwordResetPage(lang, field(form, "csrf"), resetToken,
                                                                i18n::text(lang, "sec_reset_mismatch")));
        switch (services::resetPassword(ctx, resetToken, password, req.remoteAddress)) {
        case services::ResetOutcome::Done: return Response::redirect("/login?done=reset");
        case services::ResetOutcome::WeakPassword:
            return Response::html(422, pages::passwordResetPage(lang, field(form, "csrf"), resetToken,
                                                                i18n::text(lang, "sec_reset_weak")));
        case services::ResetOutcome::Busy: return busy(req, 1);
        case services::ResetOutcome::BadToken: break;
        }
        return localized(404, req, "sec_reset_bad_title", i18n::text(lang, "sec_reset_bad_text"));
    });

    // --- the signed-in user's security page ---
    router.add("GET", "/security", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Layout layout = sessionLayout(s, req);
            std::string ok;
            if (auto it = req.query.find("ok"); it != req.query.end() && it->second == "totp")
                ok = i18n::text(layout.lang, "sec_totp_enabled_ok");
            const auto view = services::accountView(ctx, *s.principal.userId);
            return rememberLanguage(req, Response::html(200, pages::accountPage(layout, view, ok)), secure);
        });
    });

    router.add("POST", "/security/logout-everywhere", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = req.form();
            if (!csrfMatches(s.csrfToken, field(form, "csrf"))) return forbiddenForm(req);
            services::logoutEverywhere(ctx, *s.principal.userId, req.remoteAddress);
            Response r = Response::redirect("/login");
            r.headers.emplace_back("Set-Cookie", clearSessionCookie(secure));
            return r;
        });
    });

    router.add("GET", "/security/totp", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            if (ctx.settings.auth.staffTotp == "off") return notFoundResponse(req);
            const auto status = services::totpStatus(ctx, *s.principal.userId, s.email);
            return rememberLanguage(req, Response::html(200, pages::accountTotpPage(sessionLayout(s, req), status, "")),
                                    secure);
        });
    });

    router.add("POST", "/security/totp", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = req.form();
            if (!csrfMatches(s.csrfToken, field(form, "csrf"))) return forbiddenForm(req);
            if (ctx.settings.auth.staffTotp == "off") return notFoundResponse(req);
            if (services::enableTotp(ctx, *s.principal.userId, field(form, "code").substr(0, 20), req.remoteAddress))
                return Response::redirect("/security?ok=totp");
            const Layout layout = sessionLayout(s, req);
            const auto status = services::totpStatus(ctx, *s.principal.userId, s.email);
            return Response::html(422, pages::accountTotpPage(layout, status, i18n::text(layout.lang, "sec_totp_wrong")));
        });
    });
}

}  // namespace duegate::portal
