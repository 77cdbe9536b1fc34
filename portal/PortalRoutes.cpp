// The creditor and staff portal: /login, /logout, /, /dossiers/{id}, /quarantine.
// Pages need a session (else 303 to /login); every POST form is checked against a CSRF token
// (pre-session double-submit cookie for /login, the session's own token after that).
#include "portal/Routes.h"

#include "gateway/services/DossierQueries.h"
#include "gateway/services/Secrets.h"
#include "portal/I18n.h"
#include "portal/Session.h"
#include "portal/pages/Pages.h"

#include <charconv>

namespace duegate::portal {
namespace {

constexpr std::size_t kListPage = 100;
constexpr std::size_t kMaxEmail = 320;
constexpr std::size_t kMaxPassword = 1024;
constexpr const char* kLangCookie = "dg_lang";

// The portal's language: ?lang=, then the dg_lang cookie (set when ?lang= was used), then
// Accept-Language.
std::string portalLanguage(const Request& req) {
    auto q = req.query.find("lang");
    return i18n::choose(q == req.query.end() ? std::string() : q->second, req.cookie(kLangCookie),
                        req.header("Accept-Language"));
}

// Remembers a ?lang= choice in a cookie on the response.
Response remember(const Request& req, Response r, bool secure) {
    auto q = req.query.find("lang");
    if (q != req.query.end() && i18n::isLanguage(q->second)) {
        CookieSpec c;
        c.name = kLangCookie;
        c.value = q->second;
        c.maxAgeSeconds = 365L * 24 * 3600;
        c.secure = secure;
        r.headers.emplace_back("Set-Cookie", setCookieValue(c));
    }
    return r;
}

Layout layoutFor(const services::ActiveSession& s, const Request& req) {
    Layout l;
    l.title = "duegate";
    l.userName = s.principal.displayName;
    l.csrfToken = s.csrfToken;
    l.navigation = true;
    l.staffMenu = s.principal.staff();
    l.lang = portalLanguage(req);
    l.languageBase = req.path;
    return l;
}

Response forbidden() {
    return Response::html(403, pages::errorPage("Forbidden",
                                                "This form has expired or did not come from this site. "
                                                "Go back, reload the page and try again."));
}

// A usable login CSRF token from the cookie (so two open tabs keep working), else a fresh one.
std::string loginCsrfToken(const Request& req) {
    auto existing = req.cookie(kLoginCsrfCookie);
    if (existing && existing->size() == 32 &&
        existing->find_first_not_of("0123456789abcdef") == std::string::npos)
        return *existing;
    return services::randomHex(16);
}

std::int64_t afterParameter(const Request& req) {
    auto it = req.query.find("after");
    if (it == req.query.end()) return 0;
    std::int64_t v = 0;
    const char* end = it->second.data() + it->second.size();
    auto [p, ec] = std::from_chars(it->second.data(), end, v);
    return (ec == std::errc() && p == end && v > 0) ? v : 0;
}

// Runs `page` with the request's session, or redirects to /login.
template <class F>
Response withSession(services::Context& ctx, const Request& req, F&& page) {
    auto session = currentSession(ctx, req);
    if (!session) return Response::redirect("/login");
    return page(*session);
}

}  // namespace

Response notFoundResponse() { return Response::html(404, pages::notFoundPage()); }

void addPortalRoutes(Router& router, services::Context& ctx, const PortalOptions& opts) {
    const bool secure = opts.secureCookies;

    router.add("GET", "/login", [&ctx, secure](Request& req) {
        if (currentSession(ctx, req)) return Response::redirect("/");
        const std::string token = loginCsrfToken(req);
        Response r = Response::html(200, pages::loginPage(token, "", "", portalLanguage(req)));
        r.headers.emplace_back("Set-Cookie", loginCsrfCookie(token, secure));
        return remember(req, std::move(r), secure);
    });

    router.add("POST", "/login", [&ctx, secure](Request& req) {
        const auto form = req.form();
        auto field = [&](const char* name) {
            auto it = form.find(name);
            return it == form.end() ? std::string() : it->second;
        };
        const std::string cookieToken = req.cookie(kLoginCsrfCookie).value_or("");
        if (!csrfMatches(cookieToken, field("csrf"))) return forbidden();

        const std::string email = field("email");
        const std::string password = field("password");
        std::optional<services::NewSession> session;
        if (!email.empty() && email.size() <= kMaxEmail && !password.empty() && password.size() <= kMaxPassword)
            session = services::login(ctx, email, password);
        if (!session) {
            // One message for an unknown e-mail and a wrong password (AuthService.h).
            const std::string lang = portalLanguage(req);
            Response r = Response::html(401, pages::loginPage(cookieToken, i18n::text(lang, "login_wrong"),
                                                              email.substr(0, kMaxEmail), lang));
            return r;
        }
        Response r = Response::redirect("/");
        r.headers.emplace_back("Set-Cookie", sessionCookie(session->cookieValue, secure));
        r.headers.emplace_back("Set-Cookie", clearLoginCsrfCookie(secure));
        return r;
    });

    router.add("POST", "/logout", [&ctx, secure](Request& req) {
        auto session = currentSession(ctx, req);
        if (session) {
            const auto form = req.form();
            auto it = form.find("csrf");
            if (!csrfMatches(session->csrfToken, it == form.end() ? std::string() : it->second)) return forbidden();
            services::logout(ctx, req.cookie(kSessionCookie).value_or(""));
        }
        Response r = Response::redirect("/login");
        r.headers.emplace_back("Set-Cookie", clearSessionCookie(secure));
        return r;
    });

    router.add("GET", "/", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto dossiers = services::listDossiers(ctx, s.principal, kListPage, afterParameter(req));
            std::optional<std::int64_t> next;
            if (dossiers.size() == kListPage) next = dossiers.back().dossier.id;
            return Response::html(200, pages::dossierListPage(layoutFor(s, req), dossiers, s.principal.staff(), next));
        });
    });

    router.add("GET", "/dossiers/{id}", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto detail = services::dossierDetail(ctx, s.principal, std::stoll(req.params.at("id")));
            if (!detail) return notFoundResponse();  // missing and another creditor's look the same
            return Response::html(200, pages::dossierPage(layoutFor(s, req), *detail, s.principal.staff()));
        });
    });

    router.add("GET", "/quarantine", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto items = services::quarantinedItems(ctx, s.principal);
            return Response::html(200, pages::quarantinePage(layoutFor(s, req), items, s.principal.staff()));
        });
    });
}

}  // namespace duegate::portal
