// The debtor's personal link (INTERFACES.md): GET /d/{token} (the page), GET /d/{token}/invoice (a
// copy of the invoice), and the answers POST /d/{token}/promise|paid|plan|dispute|contact|accept.
// The token is the only credential; every way it can be wrong (malformed, tampered, expired,
// revoked, unknown) gets the same 404 page (no oracle). Every POST: counted against the link's
// hourly bound (429 past it), its hidden `csrf` field checked against the link's own token (403),
// then the service call and 303 back to the page with ?ok=... or ?error=... (catalog keys).
#include "portal/Routes.h"

#include "gateway/core/Money.h"
#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "portal/EpcQrCode.h"
#include "portal/I18n.h"
#include "portal/Multipart.h"
#include "portal/pages/Pages.h"
#include "portal/pages/StaffPages.h"
#include "gateway/services/StaffService.h"

#include <functional>

namespace duegate::portal {
namespace {

using Fields = std::map<std::string, std::string>;

struct PostInput {
    services::LinkScope scope;
    Fields fields;
    std::map<std::string, UploadedFile> files;
    std::string lang;  // the debtor's language, for texts the action sends (the confirmation mail)
    const Request& req;
};
// An action returns the catalog key of its confirmation ("ok_promise").
using Action = std::function<std::string(PostInput&)>;

std::string field(const Fields& f, const char* name) {
    auto it = f.find(name);
    return it == f.end() ? std::string() : it->second;
}

// Only our own catalog keys of the right kind are shown from the query (never arbitrary text).
std::string queryText(const Request& req, const char* param, const char* prefix, const std::string& lang,
                      const i18n::Vars& vars) {
    auto it = req.query.find(param);
    if (it == req.query.end() || it->second.rfind(prefix, 0) != 0 || it->second.size() > 40) return {};
    const std::string t = i18n::text(lang, it->second, vars);
    return t == it->second ? std::string() : t;
}

Response localizedError(int status, const Request& req, const char* titleKey, const char* textKey) {
    const std::string lang = i18n::choose("", std::nullopt, req.header("Accept-Language"));
    return Response::html(status, pages::errorPage(lang, i18n::text(lang, titleKey), i18n::text(lang, textKey)));
}

void addPost(Router& router, services::Context& ctx, const services::DebtorPolicy& policy, const std::string& name,
             Action action) {
    router.add("POST", "/d/{token}/" + name, [&ctx, policy, name, action](Request& req) {
        const std::string token = req.params.at("token");
        const auto scope = services::debtorLink(ctx, token);
        if (!scope) return notFoundResponse(req);
        if (!services::allowDebtorPost(ctx, *scope, policy)) {
            Response r = localizedError(429, req, "too_many_title", "err_too_many");
            r.headers.emplace_back("Retry-After", "3600");
            return r;
        }
        PostInput in{*scope, {}, {}, "en", req};
        if (isMultipart(req.header("Content-Type"))) {
            auto form = parseMultipart(req.header("Content-Type"), req.body);
            if (!form) return Response::text(400, "bad request\n");
            in.fields = std::move(form->fields);
            in.files = std::move(form->files);
        } else {
            in.fields = req.form();
        }
        if (!services::debtorCsrfMatches(ctx, *scope, field(in.fields, "csrf")))
            return localizedError(403, req, "forbidden_title", "forbidden_text");
        const auto state = services::debtorState(ctx, *scope);
        in.lang = i18n::choose("", state.language, req.header("Accept-Language"));
        const std::string page = "/d/" + token;
        try {
            const std::string ok = action(in);
            return Response::redirect(page + "?ok=" + ok);
        } catch (const services::DebtorInputError& e) {
            return Response::redirect(page + "?error=" + e.code + "#" + name);
        }
    });
}

}  // namespace

void addDebtorRoutes(Router& router, services::Context& ctx) {
    const services::DebtorPolicy policy;

    router.add("GET", "/static/portal.css", [](Request&) {
        Response r;
        r.contentType = "text/css; charset=utf-8";
        r.body = stylesheet();
        return r;
    });

    router.add("GET", "/d/{token}", [&ctx, policy](Request& req) {
        const std::string token = req.params.at("token");
        // openDebtorLink records `link_opened` in the same transaction as the read.
        services::DebtorState state;  // read with the view, in one transaction
        const auto view = services::openDebtorLink(ctx, token, req.header("User-Agent"), state);
        if (!view) {
            // A genuine link of a dossier that was closed says so, without the answers (StaffService.h).
            if (auto closedLang = services::closedDossierLanguage(ctx, token)) {
                const auto q = req.query.find("lang");
                const std::string lang = i18n::choose(q == req.query.end() ? std::string() : q->second,
                                                      closedLang->empty() ? std::nullopt : closedLang,
                                                      req.header("Accept-Language"));
                return Response::html(200, pages::debtorClosedPage(lang));
            }
            return notFoundResponse(req);
        }
        // The link openDebtorLink just resolved and whose dossier it read: resolving it a second time
        // (services::debtorLink) would be a transaction of two more queries on every view.
        const services::LinkScope scope{view->linkId, view->summary.dossier.creditorId, view->summary.dossier.id};
        const auto q = req.query.find("lang");
        const std::string asked = q == req.query.end() ? std::string() : q->second;
        const auto remembered = view->summary.dossier.language ? view->summary.dossier.language
                                                               : view->summary.debtor.language;
        const std::string lang = i18n::choose(asked, remembered, req.header("Accept-Language"));
        if (i18n::isLanguage(asked) && remembered != asked) services::rememberLanguage(ctx, scope, asked);
        const auto payload = epcPayloadFor(*view);
        const auto svg = payload ? paymentQrSvg(*payload) : std::nullopt;
        i18n::Vars vars{{"date", state.promisedDate.value_or("")},
                        {"max", std::to_string(policy.maxPromiseDays)}};
        pages::DebtorPageInput in{*view,
                                  state,
                                  payload,
                                  svg,
                                  lang,
                                  token,
                                  services::debtorCsrfToken(ctx, scope),
                                  queryText(req, "ok", "ok_", lang, vars),
                                  queryText(req, "error", "err_", lang, vars),
                                  policy,
                                  services::debtorToday(ctx)};
        return Response::html(200, pages::debtorPage(in));
    });

    router.add("GET", "/d/{token}/invoice", [&ctx](Request& req) {
        const std::string token = req.params.at("token");
        const auto scope = services::debtorLink(ctx, token);
        if (!scope) return notFoundResponse(req);
        const auto copy = services::invoiceCopy(ctx, *scope);
        if (!copy) return notFoundResponse(req);
        if (copy->ubl) {
            const auto state = services::debtorState(ctx, *scope);
            const auto q = req.query.find("lang");
            const std::string lang = i18n::choose(q == req.query.end() ? "" : q->second, state.language,
                                                  req.header("Accept-Language"));
            return Response::html(200, pages::invoiceCopyPage(lang, token, *copy->ubl));
        }
        Response r;
        r.contentType = copy->contentType;
        r.body = copy->bytes;
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + copy->filename + "\"");
        return r;
    });

    addPost(router, ctx, policy, "promise", [&ctx, policy](PostInput& in) {
        const std::string link = ctx.settings.baseUrl + "/d/" + in.req.params.at("token");
        services::promiseToPay(ctx, in.scope, field(in.fields, "date"), policy,
                               [&](const std::string& date, const std::string& amount) {
                                   const i18n::Vars v{{"date", date}, {"amount", amount}, {"link", link},
                                                      {"agency", ctx.settings.agencyName}};
                                   return services::MailText{i18n::text(in.lang, "mail_promise_subject", v),
                                                             i18n::text(in.lang, "mail_promise_body", v)};
                               });
        return std::string("ok_promise");
    });
    addPost(router, ctx, policy, "paid", [&ctx, policy](PostInput& in) {
        services::reportPaid(ctx, in.scope, field(in.fields, "date"), field(in.fields, "amount"), policy);
        return std::string("ok_paid");
    });
    addPost(router, ctx, policy, "plan", [&ctx, policy](PostInput& in) {
        const auto out = services::requestPlan(ctx, in.scope, field(in.fields, "instalments"),
                                               field(in.fields, "first_date"), policy);
        return std::string(out.approved ? "ok_plan_approved" : "ok_plan_requested");
    });
    addPost(router, ctx, policy, "dispute", [&ctx, policy](PostInput& in) {
        std::optional<services::Upload> upload;
        if (auto f = in.files.find("attachment"); f != in.files.end() && !f->second.bytes.empty())
            upload = services::Upload{f->second.filename, f->second.bytes};
        services::openDispute(ctx, in.scope, field(in.fields, "reason"), field(in.fields, "message"), upload, policy,
                              in.req.remoteAddress);
        return std::string("ok_dispute");
    });
    addPost(router, ctx, policy, "contact", [&ctx](PostInput& in) {
        const auto changed = services::updateContact(ctx, in.scope, in.fields);
        return std::string(changed.empty() ? "ok_contact_none" : "ok_contact");
    });
    addPost(router, ctx, policy, "accept", [&ctx](PostInput& in) {
        services::acceptInvoice(ctx, in.scope, in.req.remoteAddress);
        return std::string("ok_accept");
    });
}

}  // namespace duegate::portal
