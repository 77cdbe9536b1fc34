// The creditor's own pages (issue 14 item 2; docs/portal.md "Creditor tools"):
//   GET  /creditor                       the tools
//   GET  /dossiers/new, POST /dossiers/new   new dossier by form (multipart; 303 to the dossier)
//   GET  /upload, POST /upload            bulk template upload (the result, with every bad row, is
//                                         the answer to the POST: nothing else keeps it)
//   GET  /upload/template.csv|.xlsx       the template
//   GET  /reports, GET /reports/download  CSV/XLSX reports of the creditor's own data
//   GET  /notifications, POST /notifications
//   GET  /webhooks, POST /webhooks (the answer shows the new secret once), POST /webhooks/{id}/delete,
//   GET  /webhooks/deliveries
// Every page needs a creditor user's session (anonymous: 303 /login; staff: 403); every POST checks
// the session's CSRF token (403) and records an event naming the user (in the services).
#include "portal/Routes.h"

#include "gateway/services/CreditorForms.h"
#include "gateway/services/NotificationService.h"
#include "gateway/services/ReportService.h"
#include "gateway/services/WebhookService.h"
#include "portal/I18n.h"
#include "portal/Multipart.h"
#include "portal/Session.h"
#include "portal/pages/CreditorPages.h"
#include "portal/pages/Pages.h"

namespace duegate::portal {
namespace {

Response errorResponse(int status, const Request& req, const char* textKey) {
    const std::string lang = requestLanguage(req);
    return Response::html(status, pages::errorPage(lang, i18n::text(lang, "forbidden_title"), i18n::text(lang, textKey)));
}

// A creditor user's session, else the login redirect (anonymous) or 403 (staff); POSTs also need
// the session's CSRF token in `csrf` (form fields or multipart fields).
template <class F>
Response asCreditor(services::Context& ctx, const Request& req, F&& page) {
    auto session = currentSession(ctx, req);
    if (!session) return Response::redirect("/login");
    if (session->principal.staff()) return errorResponse(403, req, "cr_creditor_only");
    return page(*session);
}

bool csrfOk(const services::ActiveSession& s, const std::map<std::string, std::string>& fields) {
    auto it = fields.find("csrf");
    return csrfMatches(s.csrfToken, it == fields.end() ? std::string() : it->second);
}

std::string field(const std::map<std::string, std::string>& f, const std::string& name) {
    auto it = f.find(name);
    return it == f.end() ? std::string() : it->second.substr(0, 1000);
}

Response download(const services::Download& d) {
    Response r;
    r.contentType = d.contentType;
    r.body = d.bytes;
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + d.filename + "\"");
    return r;
}

// "from: expected ..." -> the field's name, the only part of a message that reaches the page.
std::string fieldOf(const std::string& message) { return message.substr(0, message.find(':')); }

}  // namespace

void addCreditorRoutes(Router& router, services::Context& ctx) {
    router.add("GET", "/creditor", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::creditorToolsPage(sessionLayout(s, req)));
        });
    });

    // --- new dossier by form
    router.add("GET", "/dossiers/new", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::newDossierPage(sessionLayout(s, req), {{"currency", "EUR"}}, {}));
        });
    });
    router.add("POST", "/dossiers/new", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = parseMultipart(req.header("Content-Type"), req.body);
            if (!form) return errorResponse(400, req, "cr_err_request");
            if (!csrfOk(s, form->fields)) return errorResponse(403, req, "forbidden_text");
            services::NewDossierForm in;
            auto file = [&](const char* name) -> std::optional<services::FormFile> {
                auto it = form->files.find(name);
                if (it == form->files.end() || it->second.bytes.empty()) return std::nullopt;
                return services::FormFile{it->second.filename, it->second.bytes};
            };
            in.ubl = file("ubl");
            in.pdf = file("pdf");
            in.terms = file("terms");
            const auto& f = form->fields;
            in.debtorName = field(f, "debtor_name");
            in.email = field(f, "email");
            in.phone = field(f, "phone");
            in.street = field(f, "street");
            in.postcode = field(f, "postcode");
            in.city = field(f, "city");
            in.country = field(f, "country");
            in.vatNumber = field(f, "vat_number");
            in.invoiceNumber = field(f, "invoice_number");
            in.amount = field(f, "amount");
            in.currency = field(f, "currency");
            in.issueDate = field(f, "issue_date");
            in.dueDate = field(f, "due_date");
            for (const char* r : {"reminder_1", "reminder_2", "reminder_3"}) in.earlierReminders.push_back(field(f, r));
            try {
                const auto made = services::createDossierByForm(ctx, s.principal, in);
                return Response::redirect("/dossiers/" + std::to_string(made.dossierId) + "?ok=created");
            } catch (const services::FormErrors& e) {
                std::map<std::string, std::string> values;
                for (const auto& [k, v] : f)
                    if (k != "csrf") values[k] = v.substr(0, 1000);
                return Response::html(422, pages::newDossierPage(sessionLayout(s, req), values, e.fields));
            }
        });
    });

    // --- bulk upload
    router.add("GET", "/upload", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::uploadPage(sessionLayout(s, req), std::nullopt, ""));
        });
    });
    router.add("POST", "/upload", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            const auto form = parseMultipart(req.header("Content-Type"), req.body);
            if (!form) return errorResponse(400, req, "cr_err_request");
            if (!csrfOk(s, form->fields)) return errorResponse(403, req, "forbidden_text");
            const Layout layout = sessionLayout(s, req);
            auto it = form->files.find("file");
            if (it == form->files.end() || it->second.bytes.empty())
                return Response::html(422, pages::uploadPage(layout, std::nullopt, i18n::text(layout.lang, "cr_upload_no_file")));
            const auto outcome = services::uploadInvoiceFile(ctx, s.principal, it->second.filename, it->second.bytes);
            return Response::html(outcome.rejected ? 422 : 200, pages::uploadPage(layout, outcome, ""));
        });
    });
    for (const char* format : {"csv", "xlsx"}) {
        router.add("GET", std::string("/upload/template.") + format, [&ctx, format](Request& req) {
            return asCreditor(ctx, req, [&](const services::ActiveSession&) { return download(services::bulkTemplate(format)); });
        });
    }

    // --- reports
    router.add("GET", "/reports", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            const std::string today = ctx.now().substr(0, 10);
            return Response::html(200, pages::reportsPage(sessionLayout(s, req), today.substr(0, 8) + "01", today, ""));
        });
    });
    router.add("GET", "/reports/download", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            auto q = [&](const char* name) {
                auto it = req.query.find(name);
                return it == req.query.end() ? std::string() : it->second.substr(0, 40);
            };
            try {
                return download(services::buildReport(ctx, s.principal, q("report"), q("from"), q("to"), q("format")));
            } catch (const services::NotFound&) {
                return notFoundResponse();
            } catch (const services::InputError& e) {
                const Layout layout = sessionLayout(s, req);
                return Response::html(422, pages::reportsPage(layout, q("from"), q("to"),
                                                              i18n::text(layout.lang, "cr_reports_bad",
                                                                         {{"what", fieldOf(e.what())}})));
            }
        });
    });

    // --- notification settings
    router.add("GET", "/notifications", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::notificationsPage(sessionLayout(s, req),
                                                                services::notificationSettings(ctx, s.principal),
                                                                services::notificationLanguage(ctx, s.principal),
                                                                req.query.count("ok") > 0, ""));
        });
    });
    router.add("POST", "/notifications", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            const auto f = req.form();
            if (!csrfOk(s, f)) return errorResponse(403, req, "forbidden_text");
            std::map<std::string, std::string> modes;
            for (const auto& t : services::notificationTopics())
                if (auto v = field(f, t); !v.empty()) modes[t] = v;
            try {
                services::saveNotificationSettings(ctx, s.principal, modes);
                if (auto language = field(f, "mail_language"); !language.empty())
                    services::saveNotificationLanguage(ctx, s.principal, language);
            } catch (const services::InputError&) {
                const Layout layout = sessionLayout(s, req);
                return Response::html(422, pages::notificationsPage(layout, services::notificationSettings(ctx, s.principal),
                                                                    services::notificationLanguage(ctx, s.principal),
                                                                    false, i18n::text(layout.lang, "cr_err_invalid")));
            }
            return Response::redirect("/notifications?ok=1");
        });
    });

    // --- webhooks
    router.add("GET", "/webhooks", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::webhooksPage(sessionLayout(s, req), services::webhookEndpoints(ctx, s.principal),
                                                           "", req.query.count("ok") > 0, "", ""));
        });
    });
    router.add("POST", "/webhooks", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            const auto f = req.form();
            if (!csrfOk(s, f)) return errorResponse(403, req, "forbidden_text");
            std::vector<std::string> topics;
            for (const auto& t : services::webhookTopics())
                if (f.count("event_" + t)) topics.push_back(t);
            const Layout layout = sessionLayout(s, req);
            try {
                const auto made = services::addWebhookEndpoint(ctx, s.principal, field(f, "url"), topics);
                // The secret is shown in this answer only (never in a URL, never again).
                return Response::html(200, pages::webhooksPage(layout, services::webhookEndpoints(ctx, s.principal),
                                                               made.secret, false, "", ""));
            } catch (const services::InputError& e) {
                const bool url = fieldOf(e.what()) == "url";
                return Response::html(422, pages::webhooksPage(layout, services::webhookEndpoints(ctx, s.principal), "",
                                                               false,
                                                               i18n::text(layout.lang, url ? "cr_hooks_bad_url" : "cr_hooks_bad_events"),
                                                               field(f, "url")));
            }
        });
    });
    router.add("POST", "/webhooks/{id}/delete", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            if (!csrfOk(s, req.form())) return errorResponse(403, req, "forbidden_text");
            try {
                services::removeWebhookEndpoint(ctx, s.principal, std::stoll(req.params.at("id")));
            } catch (const services::NotFound&) {
                return notFoundResponse();
            }
            return Response::redirect("/webhooks?ok=removed");
        });
    });
    router.add("GET", "/webhooks/deliveries", [&ctx](Request& req) {
        return asCreditor(ctx, req, [&](const services::ActiveSession& s) {
            return Response::html(200, pages::webhookDeliveriesPage(sessionLayout(s, req), services::webhookDeliveries(ctx, s.principal)));
        });
    });
}

}  // namespace duegate::portal
