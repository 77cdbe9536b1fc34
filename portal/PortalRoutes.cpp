// The creditor and staff portal: /login, /logout, / (dossier search), /dashboard, /dossiers/{id}
// (workspace), /dossiers/{id}/legal-file, /dossiers/{id}/documents/{documentId}, /quarantine, and for
// case managers /tasks, POST /tasks/{id}/close, POST /dossiers/{id}/call.
// Pages need a session (else 303 to /login); every POST form is checked against a CSRF token
// (pre-session double-submit cookie for /login, the session's own token after that). A creditor
// user on a staff page gets 403; another creditor's id gets the same 404 as a missing one.
#include "portal/Routes.h"

#include "gateway/core/Money.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/LegalFile.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/Secrets.h"
#include "store/CreditorRepository.h"
#include "portal/I18n.h"
#include "portal/Session.h"
#include "portal/pages/Pages.h"
#include "portal/pages/StaffPages.h"
#include "gateway/services/StaffService.h"

#include <charconv>
#include <functional>

namespace duegate::portal {
namespace {

constexpr std::size_t kListPage = 50;
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

Response forbidden(const Request& req) { return forbiddenPage(req); }

// A creditor user on a case manager's page or form.
Response staffOnly(const Request& req) {
    const std::string lang = portalLanguage(req);
    return Response::html(403, pages::errorPage(lang, i18n::text(lang, "forbidden_title"),
                                                i18n::text(lang, "p_forbidden_staff")));
}

// A usable login CSRF token from the cookie (so two open tabs keep working), else a fresh one.
std::string loginCsrfToken(const Request& req) {
    auto existing = req.cookie(kLoginCsrfCookie);
    if (existing && existing->size() == 32 &&
        existing->find_first_not_of("0123456789abcdef") == std::string::npos)
        return *existing;
    return services::randomHex(16);
}

std::int64_t idParameter(const Request& req, const char* name) {
    auto it = req.query.find(name);
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
Response notFoundResponse(const Request& req) { return Response::html(404, pages::notFoundPage(portalLanguage(req))); }
std::string requestLanguage(const Request& req) { return portalLanguage(req); }
Layout sessionLayout(const services::ActiveSession& s, const Request& req) { return layoutFor(s, req); }
Response rememberLanguage(const Request& req, Response r, bool secure) { return remember(req, std::move(r), secure); }
Response forbiddenPage(const Request& req, const char* textKey) {
    const std::string lang = portalLanguage(req);
    return Response::html(403, pages::errorPage(lang, i18n::text(lang, "forbidden_title"), i18n::text(lang, textKey)));
}

void addPortalRoutes(Router& router, services::Context& ctx, const PortalOptions& opts) {
    const bool secure = opts.secureCookies;

    router.add("GET", "/login", [&ctx, secure](Request& req) {
        if (currentSession(ctx, req)) return Response::redirect("/");
        const std::string token = loginCsrfToken(req);
        const std::string lang = portalLanguage(req);
        Response r = Response::html(200, pages::loginPage(token, "", "", lang, loginNotice(req, lang)));
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
        if (!csrfMatches(cookieToken, field("csrf"))) return forbidden(req);

        const std::string email = field("email");
        const std::string password = field("password");
        services::LoginResult result;
        if (!email.empty() && email.size() <= kMaxEmail && !password.empty() && password.size() <= kMaxPassword)
            result = services::login(ctx, {email, password, req.remoteAddress, req.cookie(kSessionCookie).value_or("")});
        // Throttled (429) and busy (503) answers, the second step and the session: SecurityRoutes.cpp.
        if (result.outcome != services::LoginOutcome::Wrong) return loginOutcomeResponse(req, result, secure);
        // One message for an unknown e-mail and a wrong password (AuthService.h).
        const std::string lang = portalLanguage(req);
        return Response::html(401, pages::loginPage(cookieToken, i18n::text(lang, "login_wrong"),
                                                    email.substr(0, kMaxEmail), lang));
    });

    router.add("POST", "/logout", [&ctx, secure](Request& req) {
        auto session = currentSession(ctx, req);
        if (session) {
            const auto form = req.form();
            auto it = form.find("csrf");
            if (!csrfMatches(session->csrfToken, it == form.end() ? std::string() : it->second)) return forbidden(req);
            services::logout(ctx, req.cookie(kSessionCookie).value_or(""), req.remoteAddress);
        }
        Response r = Response::redirect("/login");
        r.headers.emplace_back("Set-Cookie", clearSessionCookie(secure));
        return r;
    });

    router.add("GET", "/", [&ctx, secure](Request& req) {
        pages::DossierSearchView v;
        auto q = [&](const char* name) {
            auto it = req.query.find(name);
            return it == req.query.end() ? std::string() : it->second.substr(0, 200);
        };
        v.q = q("q");
        v.amount = q("amount");
        v.status = q("status");
        v.from = q("from");
        v.to = q("to");
        store::portal_reads::Search search;
        search.text = v.q;
        std::string amount = v.amount;
        std::replace(amount.begin(), amount.end(), ',', '.');
        if (auto m = core::Money::parse(amount, "EUR")) search.amountMinor = m->minor();
        if (!v.status.empty()) search.status = v.status;
        if (parsers::CivilDate::parseIso(v.from)) search.createdFrom = v.from;
        if (parsers::CivilDate::parseIso(v.to)) search.createdTo = v.to;
        search.beforeId = idParameter(req, "before");
        search.limit = kListPage;
        // The session and the rows in one read transaction (the busiest page): as withSession.
        auto found = services::searchDossiersOfSession(ctx, req.cookie(kSessionCookie).value_or(""), search);
        if (!found) return Response::redirect("/login");
        const services::ActiveSession& s = found->session;
        v.staff = s.principal.staff();
        v.rows = std::move(found->rows);
        if (v.rows.size() == kListPage) v.nextBeforeId = v.rows.back().id;
        return remember(req, Response::html(200, pages::dossierSearchPage(layoutFor(s, req), v)), secure);
    });

    router.add("GET", "/dashboard", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto d = services::dashboard(ctx, s.principal);
            return remember(req, Response::html(200, pages::dashboardPage(layoutFor(s, req), d)), secure);
        });
    });

    router.add("GET", "/dossiers/{id}", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto w = services::workspace(ctx, s.principal, std::stoll(req.params.at("id")));
            if (!w) return notFoundResponse(req);  // missing and another creditor's look the same
            const Layout layout = layoutFor(s, req);
            std::string ok;
            if (auto it = req.query.find("ok"); it != req.query.end())
                for (const char* code : {"call", "closed", "plan", "resolved", "created", "credited"})
                    if (it->second == code) ok = i18n::text(layout.lang, std::string("p_ok_") + code);
            if (auto it = req.query.find("ok"); it != req.query.end())  // StaffRoutes.cpp
                for (const char* code : {"assigned", "refused", "message", "dossier_closed", "pdf", "pdf_held"})
                    if (it->second == code) ok = i18n::text(layout.lang, std::string("s_ok_") + code);
            std::string error;
            if (auto it = req.query.find("error"); it != req.query.end()) {
                for (const char* f : {"subject", "outcome", "promise", "next"})
                    if (it->second == f)
                        error = i18n::text(layout.lang, "p_bad_input",
                                           {{"what", i18n::text(layout.lang, std::string("p_call_") + f)}});
                if (it->second == "decision") error = i18n::text(layout.lang, "p_decision_failed");
                if (it->second == "credit") error = i18n::text(layout.lang, "p_credit_failed");
                if (it->second == "staff") error = i18n::text(layout.lang, "s_err_input");
            }
            std::optional<std::int64_t> task;
            if (auto t = idParameter(req, "task"); t > 0) task = t;
            // The staff forms (StaffRoutes.cpp): assign, refuse a plan, write, close.
            const std::string staffTools =
                s.principal.staff() ? pages::staffTools(layout, *w, services::caseManagers(ctx, s.principal)) : "";
            return remember(req,
                            Response::html(200, pages::workspacePage(layout, *w, s.principal.staff(), ok, error, task,
                                                                     staffTools)),
                            secure);
        });
    });

    router.add("GET", "/dossiers/{id}/legal-file", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto file = services::legalFile(ctx, s.principal, std::stoll(req.params.at("id")));
            if (!file) return notFoundResponse(req);
            Response r;
            r.contentType = "application/zip";
            r.body = file->zip;
            r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
            return r;
        });
    });

    router.add("GET", "/dossiers/{id}/documents/{documentId}", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto doc = services::dossierDocument(ctx, s.principal, std::stoll(req.params.at("id")),
                                                       std::stoll(req.params.at("documentId")));
            if (!doc) return notFoundResponse(req);
            Response r;
            // Served as a download with a fixed name: never rendered in our origin (no stored XSS).
            r.contentType = doc->document.contentType == "application/pdf" ? "application/pdf"
                                                                            : "application/octet-stream";
            r.body = doc->bytes;
            r.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"document-" + std::to_string(doc->document.id) + "\"");
            return r;
        });
    });

    router.add("POST", "/dossiers/{id}/call", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = req.form();
            auto field = [&](const char* name) {
                auto it = form.find(name);
                return it == form.end() ? std::string() : it->second;
            };
            if (!csrfMatches(s.csrfToken, field("csrf"))) return forbidden(req);
            if (!s.principal.staff()) return staffOnly(req);
            const std::string page = "/dossiers/" + req.params.at("id");
            services::CallInput call{field("subject"), field("outcome"), field("next_step"), field("promise_date"),
                                     std::nullopt};
            if (auto t = field("task"); !t.empty() && t.size() < 18 && t.find_first_not_of("0123456789") == std::string::npos)
                call.taskId = std::stoll(t);
            try {
                services::logCall(ctx, s.principal, std::stoll(req.params.at("id")), call);
            } catch (const services::NotFound&) {
                return notFoundResponse(req);
            } catch (const services::InputError& e) {
                // Only a field name travels in the URL (never text someone could put in a link).
                const std::string what = e.what();
                const char* field = what.rfind("subject", 0) == 0        ? "subject"
                                    : what.rfind("outcome", 0) == 0      ? "outcome"
                                    : what.rfind("promise date", 0) == 0 ? "promise"
                                                                         : "next";
                return Response::redirect(page + "?error=" + field + "#call");
            }
            return Response::redirect(page + "?ok=call");
        });
    });

    // Staff decisions on a dossier: CSRF, staff only, then the service; 303 back with ?ok= or ?error=.
    auto decision = [&ctx](const char* okCode, std::function<void(const services::ActiveSession&, const Request&,
                                                                  const std::map<std::string, std::string>&)> act) {
        return [&ctx, okCode, act](Request& req) {
            return withSession(ctx, req, [&](const services::ActiveSession& s) {
                const auto form = req.form();
                auto it = form.find("csrf");
                if (!csrfMatches(s.csrfToken, it == form.end() ? std::string() : it->second)) return forbidden(req);
                if (!s.principal.staff()) return staffOnly(req);
                const std::string page = "/dossiers/" + req.params.at("id");
                try {
                    act(s, req, form);
                } catch (const services::NotFound&) {
                    return notFoundResponse(req);
                } catch (const services::InputError&) {
                    return Response::redirect(page + "?error=decision");
                }
                return Response::redirect(page + "?ok=" + okCode);
            });
        };
    };
    router.add("POST", "/dossiers/{id}/plan/approve",
               decision("plan", [&ctx](const services::ActiveSession& s, const Request& req, const auto&) {
                   services::approveRequestedPlan(ctx, s.principal, std::stoll(req.params.at("id")));
               }));
    // resume, credit or close (StaffService.h settleDispute); a credit out of range says so.
    router.add("POST", "/dossiers/{id}/dispute/resolve", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = req.form();
            auto value = [&form](const char* name) {
                auto it = form.find(name);
                return it == form.end() ? std::string() : it->second;
            };
            if (!csrfMatches(s.csrfToken, value("csrf"))) return forbidden(req);
            if (!s.principal.staff()) return staffOnly(req);
            const std::string page = "/dossiers/" + req.params.at("id");
            services::DisputeResolution r{value("how").empty() ? "resume" : value("how"), value("resolution"), 0};
            if (r.how == "credit") {
                const auto amount = parseAmount(value("credit").substr(0, 30), "EUR");
                if (!amount || *amount <= 0) return Response::redirect(page + "?error=credit");
                r.creditMinor = *amount;
            }
            try {
                services::settleDispute(ctx, s.principal, std::stoll(req.params.at("id")), r);
            } catch (const services::NotFound&) {
                return notFoundResponse(req);
            } catch (const services::InputError& e) {
                return Response::redirect(page + (std::string(e.what()).rfind("credit:", 0) == 0 ? "?error=credit"
                                                                                                 : "?error=decision"));
            }
            return Response::redirect(page + (r.how == "credit" ? "?ok=credited"
                                              : r.how == "close" ? "?ok=dossier_closed"
                                                                 : "?ok=resolved"));
        });
    });

    router.add("GET", "/tasks", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            if (!s.principal.staff()) return staffOnly(req);
            pages::TasksView v;
            services::TaskQuery q;
            if (auto it = req.query.find("kind"); it != req.query.end() && !it->second.empty()) {
                v.kind = it->second.substr(0, 40);
                q.kind = v.kind;
            }
            if (auto c = idParameter(req, "creditor"); c > 0) q.creditorId = v.creditorId = c;
            v.mine = q.mine = req.query.count("mine") > 0;
            if (auto it = req.query.find("ok"); it != req.query.end() && it->second == "closed")
                v.ok = i18n::text(portalLanguage(req), "p_task_closed");
            v.rows = services::taskList(ctx, s.principal, q);
            v.creditors = services::creditorsForStaff(ctx, s.principal);
            return remember(req, Response::html(200, pages::tasksPage(layoutFor(s, req), v)), secure);
        });
    });

    router.add("POST", "/tasks/{id}/close", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = req.form();
            auto it = form.find("csrf");
            if (!csrfMatches(s.csrfToken, it == form.end() ? std::string() : it->second)) return forbidden(req);
            if (!s.principal.staff()) return staffOnly(req);
            try {
                services::closeTask(ctx, s.principal, std::stoll(req.params.at("id")));
            } catch (const services::NotFound&) {
                return notFoundResponse(req);
            }
            return Response::redirect("/tasks?ok=closed");
        });
    });

    router.add("GET", "/quarantine", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto items = services::quarantinedItems(ctx, s.principal);
            return remember(req, Response::html(200, pages::quarantinePage(layoutFor(s, req), items, s.principal.staff())),
                            secure);
        });
    });
}

}  // namespace duegate::portal
