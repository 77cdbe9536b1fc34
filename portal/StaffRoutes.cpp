// The case managers' and admins' routes (issue 14 items 2/3; docs/portal.md "Staff and admin"):
//   POST /dossiers/{id}/assign | /plan/refuse | /message | /close      staff (403 for creditor users)
//   GET  /admin, GET /admin/creditors/{id}                              staff admins (403 otherwise)
//   POST /admin/creditors, /admin/creditors/{id}, /admin/users,
//        /admin/users/{id}/disable | /enable | /role                    staff admins
//   GET  /account, POST /account/users, /account/users/{id}/disable | /enable,
//        POST /account/keys, /account/keys/{id}/revoke                  a creditor's own users (403 for staff)
// Every POST: a session (else 303 /login), its CSRF token (403), the role (403), then the service
// and 303 back with ?ok= / ?error= (catalog keys); another creditor's id is the same 404 as a
// missing one. A new API key is the one answer that is not a redirect: shown once, never in a URL.
#include "portal/Routes.h"

#include "gateway/services/AccountService.h"
#include "gateway/services/PdfProposals.h"
#include "gateway/services/StaffService.h"
#include "portal/I18n.h"
#include "portal/Session.h"
#include "portal/pages/Pages.h"
#include "portal/pages/StaffPages.h"

#include <charconv>
#include <functional>

namespace duegate::portal {
namespace {

using Form = std::map<std::string, std::string>;

std::string field(const Form& f, const char* name) {
    auto it = f.find(name);
    return it == f.end() ? std::string() : it->second;
}

std::optional<std::int64_t> number(const std::string& s) {
    std::int64_t v = 0;
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end) return std::nullopt;
    return v;
}

// Only our own catalog keys with the prefix are shown from the query (never arbitrary text).
std::string queryText(const Request& req, const char* param, const std::string& prefix, const std::string& lang) {
    auto it = req.query.find(param);
    if (it == req.query.end() || it->second.size() > 40 || it->second.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
        return {};
    const std::string key = prefix + it->second;
    const std::string t = i18n::text(lang, key);
    return t == key ? std::string() : t;
}

using Page = std::function<Response(const services::ActiveSession&)>;

Response withSession(services::Context& ctx, const Request& req, const Page& page) {
    auto session = currentSession(ctx, req);
    if (!session) return Response::redirect("/login");
    try {
        return page(*session);
    } catch (const services::Forbidden&) {
        return forbiddenPage(req, session->principal.staff() ? "s_forbidden_staff" : "p_forbidden_staff");
    } catch (const services::NotFound&) {
        return notFoundResponse();
    }
}

// A POST: session, CSRF, then `act` returning the 303 target. InputError -> `onError`'s target.
using Act = std::function<std::string(const services::ActiveSession&, const Request&, const Form&)>;
using OnError = std::function<std::string(const Request&)>;
std::function<Response(Request&)> post(services::Context& ctx, Act act, OnError onError) {
    return [&ctx, act, onError](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Form form = req.form();
            if (!csrfMatches(s.csrfToken, field(form, "csrf"))) return forbiddenPage(req, "forbidden_text");
            try {
                return Response::redirect(act(s, req, form));
            } catch (const services::InputError&) {
                return Response::redirect(onError(req));
            }
        });
    };
}

std::int64_t idOf(const Request& req, const char* name = "id") { return std::stoll(req.params.at(name)); }

std::string dossierPage(const Request& req) { return "/dossiers/" + req.params.at("id"); }

pages::AdminView adminView(services::Context& ctx, const services::ActiveSession& s, const Request& req) {
    pages::AdminView v;
    v.creditors = services::adminCreditors(ctx, s.principal);
    v.users = services::managedUsers(ctx, s.principal);
    v.selfId = s.principal.userId;
    const std::string lang = requestLanguage(req);
    v.ok = queryText(req, "ok", "a_ok_", lang);
    v.error = queryText(req, "error", "a_err_", lang);
    return v;
}

pages::AccountView accountView(services::Context& ctx, const services::ActiveSession& s, const Request& req) {
    if (s.principal.staff()) throw services::Forbidden("a creditor's own account");
    pages::AccountView v;
    v.users = services::managedUsers(ctx, s.principal);
    v.keys = services::ownApiKeys(ctx, s.principal);
    v.selfId = s.principal.userId;
    const std::string lang = requestLanguage(req);
    v.ok = queryText(req, "ok", "a_ok_", lang);
    v.error = queryText(req, "error", "a_err_", lang);
    return v;
}

services::CreditorChanges changesFrom(const Form& f) {
    services::CreditorChanges c;
    auto opt = [&](const char* name) -> std::optional<std::string> {
        auto v = field(f, name);
        if (v.empty()) return std::nullopt;
        return v;
    };
    c.email = opt("email");
    c.iban = opt("iban");
    c.bic = opt("bic");
    c.collectTo = opt("collect_to");
    c.policy = opt("policy");
    c.senderAuth = opt("sender_auth");
    if (auto s = opt("sender")) c.senders.push_back(*s);
    if (auto fee = opt("fee")) {
        auto n = number(*fee);
        if (!n) throw services::InputError("fee: basis points");
        c.feeBasisPoints = *n;
    }
    return c;
}

Response noStore(Response r) {
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace

void addStaffRoutes(Router& router, services::Context& ctx) {
    // --- the dossier workspace: staff decisions (Forbidden for a creditor user: 403)
    const OnError toDossier = [](const Request& req) { return dossierPage(req) + "?error=staff#staff"; };
    router.add("POST", "/dossiers/{id}/assign",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   const std::string user = field(f, "user");
                   std::optional<std::int64_t> userId;
                   if (!user.empty()) {
                       userId = number(user);
                       if (!userId) throw services::InputError("user: a user id");
                   }
                   services::assignDossier(ctx, s.principal, idOf(req), userId);
                   return dossierPage(req) + "?ok=assigned";
               }, toDossier));
    router.add("POST", "/dossiers/{id}/plan/refuse",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   services::refuseRequestedPlan(ctx, s.principal, idOf(req), field(f, "reason"));
                   return dossierPage(req) + "?ok=refused";
               }, toDossier));
    router.add("POST", "/dossiers/{id}/message",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   services::writeMessage(ctx, s.principal, idOf(req),
                                          services::WrittenMessage{field(f, "to"), field(f, "subject"), field(f, "body")});
                   return dossierPage(req) + "?ok=message";
               }, toDossier));
    router.add("POST", "/dossiers/{id}/close",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   services::closeDossier(ctx, s.principal, idOf(req), field(f, "outcome"), field(f, "reason"));
                   return dossierPage(req) + "?ok=dossier_closed";
               }, toDossier));

    // --- a PDF invoice without UBL -> a dossier, from the fields the person checked (staff)
    router.add("GET", "/review/pdf", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::pdfListPage(sessionLayout(s, req), services::heldPdfs(ctx, s.principal)));
        });
    });
    router.add("GET", "/review/pdf/{documentId}", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto v = services::pdfProposal(ctx, s.principal, idOf(req, "documentId"));
            if (!v) return notFoundResponse();
            const std::string lang = requestLanguage(req);
            std::string error = queryText(req, "error", "r_err_", lang);
            if (auto it = req.query.find("field"); it != req.query.end())
                for (const auto& name : pages::pdfFieldNames())
                    if (it->second == name)
                        error = i18n::text(lang, "r_err_input", {{"what", i18n::text(lang, "r_field_" + name)}});
            return Response::html(200, pages::pdfReviewPage(sessionLayout(s, req), *v, {}, error));
        });
    });
    router.add("POST", "/quarantine/{id}/pdf", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Form f = req.form();
            if (!csrfMatches(s.csrfToken, field(f, "csrf"))) return forbiddenPage(req, "forbidden_text");
            const auto docId = services::holdPdfOfQuarantinedItem(ctx, s.principal, idOf(req));
            return Response::redirect("/review/pdf/" + std::to_string(docId));
        });
    });
    router.add("GET", "/review/pdf/{documentId}/file", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto bytes = services::heldPdfBytes(ctx, s.principal, idOf(req, "documentId"));
            if (!bytes) return notFoundResponse();
            Response r;
            r.contentType = "application/pdf";
            r.body = *bytes;
            // Shown inside the review page of this origin only (the default forbids any framing).
            r.headers.emplace_back("Content-Security-Policy",
                                   "default-src 'self'; object-src 'self'; frame-ancestors 'self'");
            r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
            r.headers.emplace_back("Content-Disposition", "inline; filename=\"document-" +
                                                              req.params.at("documentId") + ".pdf\"");
            return r;
        });
    });
    router.add("POST", "/review/pdf/{documentId}", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Form f = req.form();
            if (!csrfMatches(s.csrfToken, field(f, "csrf"))) return forbiddenPage(req, "forbidden_text");
            const auto id = idOf(req, "documentId");
            const std::string page = "/review/pdf/" + req.params.at("documentId");
            if (!s.principal.staff()) throw services::Forbidden("case managers only");
            // Every field with a value must have been ticked as checked against the PDF.
            for (const auto& name : pages::pdfFieldNames())
                if (!field(f, name.c_str()).empty() && field(f, ("ok_" + name).c_str()) != "1")
                    return Response::redirect(page + "?error=confirm");
            services::ConfirmedInvoice in{field(f, "invoice_number"), field(f, "issue_date"), field(f, "due_date"),
                                          field(f, "amount"),         field(f, "currency"),   field(f, "iban"),
                                          field(f, "reference"),      field(f, "debtor_name"), field(f, "debtor_email")};
            try {
                const auto out = services::applyConfirmedPdf(ctx, s.principal, id, in);
                if (!out.dossierId) return Response::redirect(page + "?error=problem");
                return Response::redirect("/dossiers/" + std::to_string(*out.dossierId) +
                                          (out.held ? "?ok=pdf_held" : "?ok=pdf"));
            } catch (const services::InputError& e) {
                for (const auto& name : pages::pdfFieldNames())
                    if (e.what() == name) return Response::redirect(page + "?field=" + name);
                return Response::redirect(page + "?error=problem");
            }
        });
    });

    // --- admin pages (staff admins)
    router.add("GET", "/admin", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            return noStore(Response::html(200, pages::adminPage(sessionLayout(s, req), adminView(ctx, s, req))));
        });
    });
    const OnError toAdmin = [](const Request&) { return std::string("/admin?error=input"); };
    router.add("POST", "/admin/creditors", [&ctx](Request& req) {
        // Not a redirect: the new creditor's API key is shown once, on this answer only.
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Form f = req.form();
            if (!csrfMatches(s.csrfToken, field(f, "csrf"))) return forbiddenPage(req, "forbidden_text");
            if (!services::isAdmin(ctx, s.principal)) throw services::Forbidden("staff admins only");
            try {
                services::CreditorInput in{field(f, "name"), field(f, "intake"), changesFrom(f)};
                const auto created = services::adminAddCreditor(ctx, s.principal, in);
                auto v = adminView(ctx, s, req);
                v.ok = i18n::text(requestLanguage(req), "a_ok_saved");
                v.newKey = created.apiKey;
                return noStore(Response::html(200, pages::adminPage(sessionLayout(s, req), v)));
            } catch (const services::InputError&) {
                return Response::redirect("/admin?error=input");
            }
        });
    });
    router.add("GET", "/admin/creditors/{id}", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const auto c = services::adminCreditor(ctx, s.principal, idOf(req));
            if (!c) return notFoundResponse();
            const std::string lang = requestLanguage(req);
            return noStore(Response::html(200, pages::adminCreditorPage(sessionLayout(s, req), *c,
                                                                         queryText(req, "ok", "a_ok_", lang),
                                                                         queryText(req, "error", "a_err_", lang))));
        });
    });
    router.add("POST", "/admin/creditors/{id}",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   services::adminSetCreditor(ctx, s.principal, idOf(req), changesFrom(f));
                   return "/admin/creditors/" + req.params.at("id") + "?ok=saved";
               }, [](const Request& req) { return "/admin/creditors/" + req.params.at("id") + "?error=input"; }));
    router.add("POST", "/admin/users",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request&, const Form& f) {
                   if (!s.principal.staff()) throw services::Forbidden("staff admins only");
                   services::NewUserInput in;
                   in.email = field(f, "email");
                   in.name = field(f, "name");
                   in.password = field(f, "password");
                   in.role = field(f, "role");
                   if (in.role == "creditor") {
                       in.creditorId = number(field(f, "creditor"));
                       if (!in.creditorId) throw services::InputError("creditor: choose one");
                   }
                   services::createUser(ctx, s.principal, in);
                   return std::string("/admin?ok=user");
               }, toAdmin));
    for (const char* action : {"disable", "enable"}) {
        const bool disable = std::string(action) == "disable";
        router.add("POST", std::string("/admin/users/{id}/") + action,
                   post(ctx, [&ctx, disable](const services::ActiveSession& s, const Request& req, const Form&) {
                       if (!s.principal.staff()) throw services::Forbidden("staff admins only");
                       services::setUserDisabled(ctx, s.principal, idOf(req), disable);
                       return std::string(disable ? "/admin?ok=disabled" : "/admin?ok=enabled");
                   }, toAdmin));
        router.add("POST", std::string("/account/users/{id}/") + action,
                   post(ctx, [&ctx, disable](const services::ActiveSession& s, const Request& req, const Form&) {
                       if (s.principal.staff()) throw services::Forbidden("a creditor's own account");
                       services::setUserDisabled(ctx, s.principal, idOf(req), disable);
                       return std::string(disable ? "/account?ok=disabled" : "/account?ok=enabled");
                   }, [](const Request&) { return std::string("/account?error=input"); }));
    }
    router.add("POST", "/admin/users/{id}/totp-reset",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form&) {
                   if (!s.principal.staff()) throw services::Forbidden("staff admins only");
                   services::resetTotp(ctx, s.principal, idOf(req), req.remoteAddress);
                   return std::string("/admin?ok=totp_reset");
               }, toAdmin));
    router.add("POST", "/account/users/{id}/totp-reset",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form&) {
                   if (s.principal.staff()) throw services::Forbidden("a creditor's own account");
                   services::resetTotp(ctx, s.principal, idOf(req), req.remoteAddress);
                   return std::string("/account?ok=totp_reset");
               }, [](const Request&) { return std::string("/account?error=input"); }));
    router.add("POST", "/admin/users/{id}/role",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form& f) {
                   services::setStaffRole(ctx, s.principal, idOf(req), field(f, "role"));
                   return std::string("/admin?ok=role");
               }, toAdmin));

    // --- a creditor's own account: users and API keys
    const OnError toAccount = [](const Request&) { return std::string("/account?error=input"); };
    router.add("GET", "/account", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            return noStore(Response::html(200, pages::accountPage(sessionLayout(s, req), accountView(ctx, s, req))));
        });
    });
    router.add("POST", "/account/users",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request&, const Form& f) {
                   if (s.principal.staff()) throw services::Forbidden("a creditor's own account");
                   services::NewUserInput in;
                   in.email = field(f, "email");
                   in.name = field(f, "name");
                   in.password = field(f, "password");
                   services::createUser(ctx, s.principal, in);
                   return std::string("/account?ok=user");
               }, toAccount));
    router.add("POST", "/account/keys", [&ctx](Request& req) {
        // Not a redirect: the key is shown once, on this answer only (never in a URL or a log).
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const Form f = req.form();
            if (!csrfMatches(s.csrfToken, field(f, "csrf"))) return forbiddenPage(req, "forbidden_text");
            try {
                const auto key = services::createApiKey(ctx, s.principal, field(f, "name"));
                auto v = accountView(ctx, s, req);
                v.newKey = key.key;
                return noStore(Response::html(200, pages::accountPage(sessionLayout(s, req), v)));
            } catch (const services::InputError&) {
                return Response::redirect("/account?error=input");
            }
        });
    });
    router.add("POST", "/account/keys/{id}/revoke",
               post(ctx, [&ctx](const services::ActiveSession& s, const Request& req, const Form&) {
                   services::revokeApiKey(ctx, s.principal, idOf(req));
                   return std::string("/account?ok=revoked");
               }, toAccount));
}

}  // namespace duegate::portal
