// The creditor and staff pages built from templates: dashboard, dossier search, the dossier
// workspace and the staff task list (templates/{dashboard,dossiers,dossier,tasks}.mustache).
#include "portal/pages/Pages.h"

#include "gateway/core/Money.h"
#include "portal/I18n.h"
#include "portal/Svg.h"
#include "portal/Templates.h"

#include <algorithm>
#include <iterator>

namespace duegate::portal::pages {
namespace {

namespace m = kainjow::mustache;

void setIf(m::object& o, const std::string& key, const std::string& value) {
    if (!value.empty()) o[key] = value;
}

const char* const kStatuses[] = {"draft", "active", "promised", "plan", "disputed", "paid", "closed", "legal"};

// The kind of a timeline event in the reader's language (catalog evk_<kind>); a kind without a
// catalog entry shows as recorded.
std::string eventKindLabel(const std::string& lang, const std::string& kind) {
    const std::string key = "evk_" + kind;
    const std::string label = i18n::text(lang, key);
    return label == key ? kind : label;
}

std::string statusLabel(const std::string& lang, const std::string& status) {
    return i18n::text(lang, "d_status_" + status);
}

std::string withQuery(const std::string& base, const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out = base;
    char sep = '?';
    for (const auto& [k, v] : params) {
        if (v.empty()) continue;
        out += sep + k + "=";
        for (unsigned char c : v) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
            else {
                static const char* hex = "0123456789ABCDEF";
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        sep = '&';
    }
    return out;
}

}  // namespace

std::string dashboardPage(const Layout& layout, const services::Dashboard& d) {
    const std::string& lang = layout.lang;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    m::list totals;
    for (const auto& t : d.byStatus)
        totals.push_back(m::object{{"label", statusLabel(lang, t.status) + " (" + t.currency + ")"},
                                   {"count", std::to_string(t.dossiers)},
                                   {"open", displayMoney(t.openMinor, t.currency)},
                                   {"paid", displayMoney(t.paidMinor, t.currency)}});
    o["totals"] = m::data(totals);
    std::vector<Bar> ageing;
    for (int i = 0; i < 4; ++i)
        ageing.push_back(Bar{i18n::text(lang, "p_ageing_" + std::to_string(i)), d.ageingMinor[i],
                             displayMoney(d.ageingMinor[i], d.currency) + " (" + std::to_string(d.ageingCount[i]) + ")"});
    o["ageing_svg"] = barChart(i18n::text(lang, "p_ageing"), ageing);
    std::vector<Bar> weeks;
    for (const auto& w : d.collectedPerWeek) weeks.push_back(Bar{w.monday, w.minor, displayMoney(w.minor, d.currency)});
    o["collected_svg"] = barChart(i18n::text(lang, "p_collected"), weeks);
    if (d.dsoDays) o["dso"] = i18n::text(lang, "p_dso_days", {{"n", std::to_string(*d.dsoDays)}});
    Layout l = layout;
    l.title = i18n::text(lang, "p_dashboard") + " · duegate";
    return page(l, renderTemplate("dashboard", m::data(o)));
}

std::string dossierSearchPage(const Layout& layout, const DossierSearchView& v) {
    const std::string& lang = layout.lang;
    // The busiest page. Its form, headings and status options are the same for every request of one
    // shape (language, selected status, staff, rows or none, a next link or not): rendered once per
    // shape (Templates.h, Frame) with markers for the values, and the 50 rows straight into HTML
    // (RowTemplate): no mustache data is built per request.
    std::size_t selected = std::size(kStatuses);
    for (std::size_t i = 0; i < std::size(kStatuses); ++i)
        if (v.status == kStatuses[i]) selected = i;
    std::string next;
    if (v.nextBeforeId)
        next = withQuery("/", {{"q", v.q}, {"amount", v.amount}, {"status", v.status}, {"from", v.from},
                               {"to", v.to}, {"before", std::to_string(*v.nextBeforeId)}});
    std::string key = "dossiers/" + lang + '/' + std::to_string(selected);
    key += v.staff ? 's' : '-';
    key += v.rows.empty() ? '-' : 'r';
    key += next.empty() ? '-' : 'n';
    const Frame& f = frame(key, [&] {  // lang is one of the catalog's (i18n::choose): a bounded set of keys
        m::data o(m::data::type::object);
        o["t"] = m::data(i18n::texts(lang));
        o["q"] = Frame::marker(0);
        o["amount"] = Frame::marker(1);
        o["from"] = Frame::marker(2);
        o["to"] = Frame::marker(3);
        o["staff"] = m::data(v.staff);
        m::list statuses;
        for (std::size_t i = 0; i < std::size(kStatuses); ++i)
            statuses.push_back(m::object{{"code", std::string(kStatuses[i])},
                                         {"label", statusLabel(lang, kStatuses[i])},
                                         {"selected", m::data(i == selected)}});
        o["statuses"] = m::data(statuses);
        o["has_rows"] = m::data(!v.rows.empty());
        if (!v.rows.empty()) o["rows_html"] = Frame::rawMarker(4);
        if (!next.empty()) o["next"] = Frame::marker(5);
        return renderTemplate("dossiers", o);
    });
    // The rows (Templates.h, RowTemplate); the status labels of this page looked up once each.
    static const std::vector<std::string> kRowFields{"id", "reference", "staff", "creditor", "debtor",
                                                     "email", "status", "open", "due"};
    const RowTemplate& rowHtml = rowTemplate("dossier_row", lang, kRowFields);
    std::string rows;
    rows.reserve(v.rows.size() * 640);
    std::vector<std::pair<std::string_view, std::string>> labels;
    std::string open;
    for (const auto& r : v.rows) {
        const std::string id = std::to_string(r.id);
        open = displayMoney(r.openMinor, r.currency);
        auto label = std::find_if(labels.begin(), labels.end(), [&](const auto& l) { return l.first == r.status; });
        if (label == labels.end()) label = labels.insert(labels.end(), {r.status, statusLabel(lang, r.status)});
        const std::string_view values[] = {id, r.reference, v.staff ? "1" : "", r.creditorName, r.debtorName,
                                           r.debtorEmail, label->second, open, r.dueDate};
        rowHtml.render(rows, values);
    }
    const std::string_view values[] = {v.q, v.amount, v.from, v.to, rows, next};
    std::string body;
    body.reserve(f.fixedSize() + rows.size() + 4 * 256);
    f.render(body, values);
    Layout l = layout;
    l.title = i18n::text(lang, "p_dossiers") + " · duegate";
    return page(l, body);
}

std::string workspacePage(const Layout& layout, const services::Workspace& w, bool staff, const std::string& ok,
                          const std::string& error, std::optional<std::int64_t> openTask, const std::string& staffTools) {
    const std::string& lang = layout.lang;
    const auto& s = w.detail.summary;
    const auto& d = s.dossier;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    setIf(o, "ok", ok);
    setIf(o, "error", error);
    o["title"] = i18n::text(lang, "p_dossier", {{"reference", d.reference}});
    o["id"] = std::to_string(d.id);
    o["csrf"] = layout.csrfToken;
    o["open"] = displayMoney(d.openMinor, d.currency);
    o["status"] = statusLabel(lang, d.status);
    o["staff"] = m::data(staff);
    o["creditor"] = s.creditorName;
    o["debtor"] = s.debtor.name;
    setIf(o, "email", s.debtor.email.value_or(""));
    setIf(o, "phone", s.debtor.phone.value_or(""));
    std::string address;
    for (const auto* part : {&s.debtor.street, &s.debtor.postcode, &s.debtor.city, &s.debtor.country})
        if (*part && !(*part)->empty()) address += (address.empty() ? "" : ", ") + **part;
    setIf(o, "address", address);
    std::string payTo = d.payeeName.value_or("");
    if (d.payeeIban) payTo += " " + *d.payeeIban;
    setIf(o, "pay_to", payTo);
    setIf(o, "payment_reference", d.paymentReference.value_or(""));
    if (w.caseManager) {
        o["manager"] = w.caseManager->name;
        o["manager_email"] = w.caseManager->email;  // how the creditor reaches them (a mailto link)
    }
    if (staff) o["staff_tools"] = staffTools;
    o["created"] = displayInstant(d.createdAt);
    if (w.acceptance) o["accepted"] = displayInstant(w.acceptance->acceptedAt);
    if (openTask) o["open_task"] = std::to_string(*openTask);
    bool openDispute = d.status == "disputed";
    for (const auto& x : w.disputes) openDispute = openDispute || x.state == "open";
    o["can_resolve"] = m::data(openDispute);
    o["plan_requested"] = m::data(w.plan && w.plan->state == "requested");
    o["plan_active"] = m::data(w.plan.has_value());
    if (w.plan) {
        o["plan_text"] = i18n::text(lang, "p_plan_text",
                                    {{"n", std::to_string(w.plan->instalmentCount)}, {"first", w.plan->firstDate},
                                     {"total", displayMoney(w.plan->totalMinor, w.plan->currency)}});
        m::list inst;
        for (const auto& i : w.plan->instalments)
            inst.push_back(m::object{{"seq", std::to_string(i.seq)},
                                     {"date", i.dueDate},
                                     {"amount", displayMoney(i.amountMinor, w.plan->currency)}});
        o["instalments"] = m::data(inst);
    }

    m::list next;
    for (const auto& n : w.nextActions) next.push_back(m::object{{"date", n.date}, {"what", n.what}});
    o["has_next"] = m::data(!w.nextActions.empty());
    o["next"] = m::data(next);

    m::list tasks;
    for (const auto& t : w.tasks) {
        m::object row{{"due", t.dueDate}, {"kind", t.kind}, {"title", t.title}, {"state", t.state}};
        setIf(row, "details", t.details.value_or(""));
        tasks.push_back(row);
    }
    o["has_tasks"] = m::data(!w.tasks.empty());
    o["tasks"] = m::data(tasks);

    m::list invoices;
    for (const auto& inv : s.invoices)
        invoices.push_back(m::object{{"number", inv.number},
                                     {"type", inv.documentType},
                                     {"amount", displayMoney(inv.amountMinor, inv.currency)},
                                     {"issued", inv.issueDate},
                                     {"due", inv.dueDate.value_or("")}});
    o["invoices"] = m::data(invoices);

    m::list documents;
    for (const auto& doc : w.documents)
        documents.push_back(m::object{{"dossier", std::to_string(d.id)},
                                      {"id", std::to_string(doc.id)},
                                      {"name", doc.filename},
                                      {"type", doc.contentType},
                                      {"size", std::to_string(doc.size)}});
    o["has_documents"] = m::data(!w.documents.empty());
    o["documents"] = m::data(documents);

    m::list disputes;
    for (const auto& x : w.disputes)
        disputes.push_back(m::object{{"at", displayInstant(x.createdAt)},
                                     {"reason", i18n::text(lang, "d_reason_" + x.reason)},
                                     {"message", x.message},
                                     {"state", x.state}});
    o["has_disputes"] = m::data(!w.disputes.empty());
    o["disputes"] = m::data(disputes);

    m::list events;
    for (const auto& e : w.detail.events)
        events.push_back(m::object{{"at", displayInstant(e.at)},
                                   {"kind", eventKindLabel(lang, e.kind)},
                                   {"code", e.kind},
                                   {"channel", e.channel.value_or("")},
                                   {"summary", e.summary}});
    o["events"] = m::data(events);

    m::list messages;
    for (const auto& msg : w.detail.messages) {
        m::object row{{"channel", msg.channel},     {"purpose", msg.purpose},
                      {"recipient", msg.recipient}, {"state", msg.state},
                      {"attempts", std::to_string(msg.attempts)}, {"body", msg.body}};
        setIf(row, "subject", msg.subject.value_or(""));
        setIf(row, "error", msg.lastError.value_or(""));
        messages.push_back(row);
    }
    o["has_messages"] = m::data(!w.detail.messages.empty());
    o["messages"] = m::data(messages);

    Layout l = layout;
    l.title = i18n::text(lang, "p_dossier", {{"reference", d.reference}}) + " · duegate";
    return page(l, renderTemplate("dossier", m::data(o)));
}

std::string tasksPage(const Layout& layout, const TasksView& v) {
    const std::string& lang = layout.lang;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = layout.csrfToken;
    setIf(o, "ok", v.ok);
    m::list kinds;
    for (const char* k : {"call", "reply", "dispute", "plan_request", "bounce", "review", "promise_broken",
                          "payment_review"})
        kinds.push_back(m::object{{"code", std::string(k)}, {"selected", m::data(v.kind == k)}});
    o["kinds"] = m::data(kinds);
    m::list creditors;
    for (const auto& c : v.creditors)
        creditors.push_back(m::object{{"id", std::to_string(c.id)},
                                      {"name", c.name},
                                      {"selected", m::data(v.creditorId && *v.creditorId == c.id)}});
    o["creditors"] = m::data(creditors);
    o["mine"] = m::data(v.mine);
    m::list tasks;
    for (const auto& r : v.rows) {
        m::object row{{"id", std::to_string(r.task.id)},
                      {"due", r.task.dueDate},
                      {"priority", std::to_string(r.task.priority)},
                      {"kind", r.task.kind},
                      {"title", r.task.title},
                      {"creditor", r.creditorName},
                      {"overdue", m::data(r.overdue)},
                      {"today", m::data(r.dueToday)}};
        if (r.task.dossierId) row["dossier"] = std::to_string(*r.task.dossierId);
        // A PDF held for review (InvoiceImport.cpp): checked beside its proposals (StaffRoutes.cpp).
        if (r.task.dedupeKey.rfind("review:document:", 0) == 0) row["pdf"] = r.task.dedupeKey.substr(16);
        tasks.push_back(row);
    }
    o["has_tasks"] = m::data(!v.rows.empty());
    o["tasks"] = m::data(tasks);
    Layout l = layout;
    l.title = i18n::text(lang, "p_tasks") + " · duegate";
    return page(l, renderTemplate("tasks", m::data(o)));
}

}  // namespace duegate::portal::pages
