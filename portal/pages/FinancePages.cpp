// The finance team's pages: the payments queue, one line with its work forms, the statement upload.
#include "portal/pages/FinancePages.h"

#include "portal/I18n.h"
#include "portal/Templates.h"

#include <cctype>

namespace duegate::portal::pages {
namespace {

namespace m = kainjow::mustache;
namespace pay = services::payments;

void setIf(m::object& o, const std::string& key, const std::string& value) {
    if (!value.empty()) o[key] = value;
}

std::string withQuery(const std::string& base, const std::vector<std::pair<std::string, std::string>>& params) {
    std::string out = base;
    char sep = '?';
    for (const auto& [k, v] : params) {
        if (v.empty()) continue;
        out += sep + k + "=";
        for (unsigned char c : v) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
                out += static_cast<char>(c);
            } else {
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

// The queue's state names: the API's (matched | suggested | unmatched) plus the marks.
std::string stateLabel(const std::string& lang, const std::string& state) {
    const std::string s = state == "review" || state == "new" ? "unmatched" : state;
    for (const char* known : {"unmatched", "suggested", "matched", "not_ours", "refund", "bank_costs", "ignored"})
        if (s == known) return i18n::text(lang, "f_state_" + s);
    return s;
}

m::object lineObject(const std::string& lang, const pay::QueueItem& it, const std::string& csrf) {
    const auto& l = it.line;
    m::object o;
    o["id"] = std::to_string(l.id);
    o["date"] = l.bookingDate.empty() ? l.valueDate : l.bookingDate;
    o["amount"] = lineAmount(l);
    o["payer"] = l.counterpartyName;
    setIf(o, "payer_iban", l.counterpartyIban);
    setIf(o, "reference", l.reference);
    setIf(o, "remittance", l.remittance);
    o["statement"] = it.statement;
    o["state"] = stateLabel(lang, it.state);
    setIf(o, "reason", it.reason);
    m::list dossiers;
    for (const auto& d : it.dossiers)
        dossiers.push_back(m::object{{"id", std::to_string(d.dossierId)},
                                     {"reference", d.reference},
                                     {"amount", displayMoney(d.amountMinor, l.currency)},
                                     {"rule", d.rule},
                                     {"actor", d.actor}});
    o["has_dossiers"] = m::data(!it.dossiers.empty());
    o["dossiers"] = m::data(dossiers);
    m::list suggestions;
    // Suggestions are only work while nothing is applied yet and the line is still in the queue.
    const bool open = it.state == "suggested" || it.state == "unmatched" || it.state == "review" || it.state == "new";
    if (open)
        for (const auto& s : it.suggestions)
            suggestions.push_back(m::object{{"line", std::to_string(l.id)},
                                            {"csrf", csrf},
                                            {"dossier", std::to_string(s.dossierId)},
                                            {"reference", s.dossierReference},
                                            {"score", std::to_string(s.score)},
                                            {"reason", s.reason}});
    o["has_suggestions"] = m::data(open && !it.suggestions.empty());
    o["suggestions"] = m::data(suggestions);
    return o;
}

}  // namespace

std::string lineAmount(const store::payments::LineRecord& l) {
    if (l.exponent == 2 || l.exponent < 0) return displayMoney(l.amountMinor, l.currency);
    return l.currency + " " + pay::lineDecimal(l);
}

std::string paymentsPage(const Layout& layout, const PaymentsView& v) {
    const std::string& lang = layout.lang;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["from"] = v.from;
    o["to"] = v.to;
    o["amount"] = v.amount;
    o["staff"] = m::data(v.staff);
    if (v.dossierId) o["dossier"] = std::to_string(*v.dossierId);
    m::list states;
    for (const char* s : {"open", "unmatched", "suggested", "matched", "all"})
        states.push_back(m::object{{"code", std::string(s)},
                                   {"label", i18n::text(lang, std::string("f_filter_") + s)},
                                   {"selected", m::data(v.state == s)}});
    o["states"] = m::data(states);
    m::list creditors;
    for (const auto& c : v.creditors)
        creditors.push_back(m::object{{"id", std::to_string(c.id)},
                                      {"name", c.name},
                                      {"selected", m::data(v.creditorId && *v.creditorId == c.id)}});
    o["creditors"] = m::data(creditors);
    m::list items;
    for (const auto& it : v.items) items.push_back(lineObject(lang, it, v.csrf));
    o["has_items"] = m::data(!v.items.empty());
    o["items"] = m::data(items);
    if (v.nextAfterId)
        o["next"] = withQuery("/payments", {{"state", v.state},
                                            {"creditor", v.creditorId ? std::to_string(*v.creditorId) : ""},
                                            {"from", v.from},
                                            {"to", v.to},
                                            {"amount", v.amount},
                                            {"dossier", v.dossierId ? std::to_string(*v.dossierId) : ""},
                                            {"after", std::to_string(*v.nextAfterId)}});
    Layout l = layout;
    l.title = i18n::text(lang, "f_payments") + " · duegate";
    return page(l, renderTemplate("payments", m::data(o)));
}

std::string paymentPage(const Layout& layout, const PaymentView& v) {
    const std::string& lang = layout.lang;
    const auto& it = v.item;
    m::object o = lineObject(lang, it, v.csrf);
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = v.csrf;
    setIf(o, "ok", v.ok);
    setIf(o, "error", v.error);
    o["title"] = i18n::text(lang, "f_line_title", {{"id", std::to_string(it.line.id)}});
    std::int64_t left = it.line.amountMinor - it.appliedMinor;
    if (left < 0) left = 0;
    store::payments::LineRecord leftLine = it.line;
    leftLine.amountMinor = left;
    o["left"] = lineAmount(leftLine);
    // Work is possible on a credit still in the queue; a matched line can take more while some is left.
    const bool queued = it.state == "suggested" || it.state == "unmatched" || it.state == "review" || it.state == "new";
    o["can_match"] = m::data(it.line.amountMinor > 0 && (queued || (it.state == "matched" && left > 0)));
    o["q"] = v.q;
    o["searched"] = m::data(v.searched);
    m::list results;
    for (const auto& r : v.results)
        results.push_back(m::object{{"dossier", std::to_string(r.id)},
                                    {"reference", r.reference},
                                    {"debtor", r.debtorName},
                                    {"open", displayMoney(r.openMinor, r.currency)}});
    o["has_results"] = m::data(!v.results.empty());
    o["results"] = m::data(results);
    m::list marks;
    for (const char* k : {"not_ours", "refund", "bank_costs"})
        marks.push_back(m::object{{"code", std::string(k)}, {"label", i18n::text(lang, std::string("f_state_") + k)}});
    o["marks"] = m::data(marks);
    Layout l = layout;
    l.title = i18n::text(lang, "f_line_title", {{"id", std::to_string(it.line.id)}}) + " · duegate";
    return page(l, renderTemplate("payment", m::data(o)));
}

std::string uploadPage(const Layout& layout, const UploadView& v) {
    const std::string& lang = layout.lang;
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    o["csrf"] = v.csrf;
    setIf(o, "error", v.error);
    o["done"] = m::data(v.outcome.has_value());
    if (v.outcome) {
        const auto& r = *v.outcome;
        o["filename"] = v.filename;
        o["statements"] = std::to_string(r.statements);
        o["added"] = std::to_string(r.entries - r.duplicates);  // entries counts every booked entry read
        o["duplicates"] = std::to_string(r.duplicates);
        o["matched"] = std::to_string(r.matched);
        o["suggested"] = std::to_string(r.suggested);
        o["unmatched"] = std::to_string(r.unmatched);
        m::list gaps;
        for (const auto& g : r.gaps) gaps.push_back(m::object{{"text", g}});
        o["has_gaps"] = m::data(!r.gaps.empty());
        o["gaps"] = m::data(gaps);
    }
    Layout l = layout;
    l.title = i18n::text(lang, "f_upload_statement") + " · duegate";
    return page(l, renderTemplate("payment_upload", m::data(o)));
}

}  // namespace duegate::portal::pages
