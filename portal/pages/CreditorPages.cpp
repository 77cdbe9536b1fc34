#include "portal/pages/CreditorPages.h"

#include "gateway/services/NotificationService.h"
#include "gateway/services/WebhookService.h"
#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal::pages {
namespace {

namespace m = kainjow::mustache;

m::object base(const Layout& layout) {
    m::object o;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["csrf"] = layout.csrfToken;
    return o;
}

std::string render(const Layout& layout, const std::string& titleKey, const std::string& name, const m::object& o) {
    Layout l = layout;
    l.title = i18n::text(layout.lang, titleKey) + " · duegate";
    return page(l, renderTemplate(name, m::data(o)));
}

std::string valueOf(const std::map<std::string, std::string>& values, const std::string& name) {
    auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
}

}  // namespace

std::string creditorToolsPage(const Layout& layout) {
    return render(layout, "cr_tools_title", "creditor_tools", base(layout));
}

std::string newDossierPage(const Layout& layout, const std::map<std::string, std::string>& values,
                           const std::map<std::string, std::string>& errors) {
    auto o = base(layout);
    auto field = [&](const std::string& name, const std::string& type) {
        m::object f{{"name", name}, {"type", type}, {"value", valueOf(values, name)},
                    {"label", i18n::text(layout.lang, "cr_f_" + name)}};
        if (auto it = errors.find(name); it != errors.end()) f["error"] = i18n::text(layout.lang, "cr_err_" + it->second);
        return f;
    };
    m::list files;
    for (const auto& [name, accept] : std::vector<std::pair<std::string, std::string>>{
             {"ubl", ".xml,application/xml"}, {"pdf", ".pdf,application/pdf"}, {"terms", ".pdf,application/pdf"}}) {
        auto f = field(name, "file");
        f["accept"] = accept;
        files.push_back(f);
    }
    o["fields_files"] = m::data(files);
    m::list invoice;
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::string>>{
             {"invoice_number", "text"}, {"amount", "text"}, {"currency", "text"}, {"issue_date", "date"}, {"due_date", "date"}})
        invoice.push_back(field(name, type));
    o["fields_invoice"] = m::data(invoice);
    m::list debtor;
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::string>>{
             {"debtor_name", "text"}, {"email", "email"}, {"phone", "tel"}, {"street", "text"}, {"postcode", "text"},
             {"city", "text"}, {"country", "text"}, {"vat_number", "text"}})
        debtor.push_back(field(name, type));
    o["fields_debtor"] = m::data(debtor);
    m::list reminders;
    for (int i = 1; i <= 3; ++i) {
        const std::string name = "reminder_" + std::to_string(i);
        reminders.push_back(m::object{{"name", name}, {"value", valueOf(values, name)},
                                      {"label", i18n::text(layout.lang, "cr_f_reminder", {{"n", std::to_string(i)}})}});
    }
    o["reminders"] = m::data(reminders);
    if (auto it = errors.find("reminders"); it != errors.end())
        o["reminders_error"] = i18n::text(layout.lang, "cr_err_" + it->second);
    o["has_errors"] = m::data(!errors.empty());
    return render(layout, "cr_new_title", "new_dossier", o);
}

std::string uploadPage(const Layout& layout, const std::optional<services::BulkOutcome>& result, const std::string& error) {
    auto o = base(layout);
    o["has_result"] = m::data(result.has_value());
    if (!error.empty()) o["error"] = error;
    if (result) {
        o["rejected"] = m::data(result->rejected);
        o["rejection"] = result->rejection;
        o["summary"] = i18n::text(layout.lang, "cr_upload_summary",
                                  {{"created", std::to_string(result->created)},
                                   {"duplicates", std::to_string(result->duplicates)},
                                   {"held", std::to_string(result->held)},
                                   {"errors", std::to_string(result->errors.size())}});
        o["has_errors"] = m::data(!result->errors.empty());
        m::list rows;
        for (const auto& e : result->errors)
            rows.push_back(m::object{{"row", e.row ? std::to_string(e.row) : std::string("-")},
                                     {"column", e.column},
                                     {"message", e.message}});
        o["errors"] = m::data(rows);
    }
    return render(layout, "cr_upload_title", "upload", o);
}

std::string reportsPage(const Layout& layout, const std::string& from, const std::string& to, const std::string& error) {
    auto o = base(layout);
    o["from"] = from;
    o["to"] = to;
    if (!error.empty()) o["error"] = error;
    m::list reports;
    for (const char* r : {"dossiers", "payments", "payouts", "kpis"})
        reports.push_back(m::object{{"code", std::string(r)}, {"label", i18n::text(layout.lang, std::string("cr_r_") + r)}});
    o["reports"] = m::data(reports);
    return render(layout, "cr_reports_title", "reports", o);
}

std::string notificationsPage(const Layout& layout, const std::map<std::string, std::string>& modes,
                              const std::string& mailLanguage, bool ok, const std::string& error) {
    auto o = base(layout);
    m::list languages;
    for (const char* code : {"nl", "fr", "en"})  // each named in its own language
        languages.push_back(m::object{{"code", std::string(code)},
                                      {"label", i18n::text(code, "lang_name")},
                                      {"selected", m::data(mailLanguage.empty() ? std::string(code) == "en" : mailLanguage == code)}});
    o["languages"] = m::data(languages);
    o["ok"] = m::data(ok);
    if (!error.empty()) o["error"] = error;
    m::list topics;
    for (const auto& t : services::notificationTopics()) {
        m::list ms;
        for (const auto& mode : services::notificationModes())
            ms.push_back(m::object{{"code", mode},
                                   {"label", i18n::text(layout.lang, "cr_mode_" + mode)},
                                   {"selected", m::data(valueOf(modes, t) == mode)}});
        topics.push_back(m::object{{"code", t}, {"label", i18n::text(layout.lang, "cr_topic_" + t)}, {"modes", m::data(ms)}});
    }
    o["topics"] = m::data(topics);
    return render(layout, "cr_notify_title", "notifications", o);
}

std::string webhooksPage(const Layout& layout, const std::vector<store::creditor_portal::WebhookEndpoint>& endpoints,
                         const std::string& newSecret, bool removed, const std::string& error, const std::string& url) {
    auto o = base(layout);
    if (!newSecret.empty()) o["secret"] = newSecret;
    o["ok"] = m::data(removed);
    if (!error.empty()) o["error"] = error;
    o["url"] = url;
    o["has_endpoints"] = m::data(!endpoints.empty());
    m::list rows;
    for (const auto& e : endpoints) {
        std::string events;
        std::size_t start = 0;
        while (start <= e.events.size()) {
            auto end = e.events.find(',', start);
            if (end == std::string::npos) end = e.events.size();
            events += (events.empty() ? "" : ", ") + i18n::text(layout.lang, "cr_ev_" + e.events.substr(start, end - start));
            start = end + 1;
        }
        rows.push_back(m::object{{"id", std::to_string(e.id)}, {"url", e.url}, {"events", events},
                                 {"since", displayInstant(e.createdAt)}, {"csrf", layout.csrfToken}});
    }
    o["endpoints"] = m::data(rows);
    m::list topics;
    for (const auto& t : services::webhookTopics())
        topics.push_back(m::object{{"code", t}, {"label", i18n::text(layout.lang, "cr_ev_" + t)}});
    o["topics"] = m::data(topics);
    return render(layout, "cr_hooks_title", "webhooks", o);
}

std::string webhookDeliveriesPage(const Layout& layout, const std::vector<store::creditor_portal::DeliveryRow>& rows) {
    auto o = base(layout);
    o["has_rows"] = m::data(!rows.empty());
    m::list list;
    for (const auto& r : rows)
        list.push_back(m::object{{"id", std::to_string(r.id)},
                                 {"event", r.eventType},
                                 {"url", r.url},
                                 {"state", r.state},
                                 {"status", r.status ? std::to_string(*r.status) : std::string("-")},
                                 {"attempts", std::to_string(r.attempts)},
                                 {"error", r.lastError.value_or("")},
                                 {"updated", displayInstant(r.updatedAt)}});
    o["rows"] = m::data(list);
    return render(layout, "cr_deliveries_title", "webhook_deliveries", o);
}

}  // namespace duegate::portal::pages
