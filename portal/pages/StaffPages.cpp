#include "portal/pages/StaffPages.h"

#include "portal/I18n.h"
#include "portal/Templates.h"

namespace duegate::portal::pages {
namespace {

namespace m = kainjow::mustache;

void setIf(m::object& o, const std::string& key, const std::string& value) {
    if (!value.empty()) o[key] = value;
}

m::object base(const Layout& layout, const std::string& ok, const std::string& error) {
    m::object o;
    o["t"] = m::data(i18n::texts(layout.lang));
    o["csrf"] = layout.csrfToken;
    setIf(o, "ok", ok);
    setIf(o, "error", error);
    return o;
}

std::string feeText(std::int64_t basisPoints) {
    return std::to_string(basisPoints / 100) + "." + (basisPoints % 100 < 10 ? "0" : "") +
           std::to_string(basisPoints % 100) + " %";
}

m::object userRow(const Layout& layout, const store::staff::UserRow& u, std::optional<std::int64_t> selfId,
                  const std::string& creditorName) {
    const std::string& lang = layout.lang;
    const bool disabled = u.disabledAt.has_value();
    std::string role = u.user.role == "staff" ? i18n::text(lang, u.admin ? "a_role_admin" : "a_role_staff")
                                              : i18n::text(lang, "a_role_creditor");
    if (!creditorName.empty()) role += " (" + creditorName + ")";
    m::object row{{"id", std::to_string(u.user.id)},
                  {"email", u.user.email},
                  {"name", u.user.name},
                  {"role", role},
                  {"state", i18n::text(lang, disabled ? "a_disabled" : "a_active")},
                  {"toggle", std::string(disabled ? "enable" : "disable")},
                  {"toggle_label", i18n::text(lang, disabled ? "a_enable" : "a_disable")},
                  {"self", m::data(selfId && *selfId == u.user.id)},
                  {"totp", m::data(u.totpEnabled)},
                  {"staff", m::data(u.user.role == "staff")}};
    row["other_role"] = std::string(u.admin ? "staff" : "admin");
    row["other_role_label"] = i18n::text(lang, u.admin ? "a_make_staff" : "a_make_admin");
    return row;
}

}  // namespace

std::string staffTools(const Layout& layout, const services::Workspace& w,
                       const std::vector<store::UserRecord>& caseManagers) {
    const auto& d = w.detail.summary.dossier;
    m::object o = base(layout, "", "");
    o["id"] = std::to_string(d.id);
    m::list managers;
    for (const auto& u : caseManagers)
        managers.push_back(m::object{{"id", std::to_string(u.id)},
                                     {"name", u.name},
                                     {"email", u.email},
                                     {"selected", m::data(d.caseManagerId && *d.caseManagerId == u.id)}});
    o["managers"] = m::data(managers);
    o["plan_requested"] = m::data(w.plan && w.plan->state == "requested");
    o["can_close"] = m::data(d.status != "closed");  // the service refuses what the transition table does not list
    return renderTemplate("dossier_staff", m::data(o));
}

std::string debtorClosedPage(const std::string& lang) {
    Layout l;
    l.lang = lang;
    l.title = i18n::text(lang, "s_closed_title") + " · duegate";
    m::object o;
    o["t"] = m::data(i18n::texts(lang));
    return page(l, renderTemplate("debtor_closed", m::data(o)));
}

std::string adminPage(const Layout& layout, const AdminView& v) {
    m::object o = base(layout, v.ok, v.error);
    setIf(o, "new_key", v.newKey);
    std::map<std::int64_t, std::string> names;
    m::list creditors;
    for (const auto& c : v.creditors) {
        names[c.id] = c.name;
        creditors.push_back(m::object{{"id", std::to_string(c.id)},
                                      {"name", c.name},
                                      {"intake", c.intakeAddress},
                                      {"mode", i18n::text(layout.lang, "a_mode_" + c.collectTo)},
                                      {"policy", c.policy.value_or("")},
                                      {"fee", feeText(c.feeBasisPoints)}});
    }
    o["creditors"] = m::data(creditors);
    m::list users;
    for (const auto& u : v.users)
        users.push_back(userRow(layout, u, v.selfId, u.user.creditorId ? names[*u.user.creditorId] : std::string()));
    o["users"] = m::data(users);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "a_title") + " · duegate";
    return page(l, renderTemplate("admin", m::data(o)));
}

std::string adminCreditorPage(const Layout& layout, const services::CreditorAdminView& v, const std::string& ok,
                              const std::string& error) {
    const auto& c = v.creditor;
    m::object o = base(layout, ok, error);
    o["id"] = std::to_string(c.id);
    o["name"] = c.name;
    o["intake"] = c.intakeAddress;
    o["email"] = c.email.value_or("");
    o["iban"] = c.iban.value_or("");
    o["bic"] = c.bic.value_or("");
    m::list ibans;
    for (const auto& i : v.ibans) ibans.push_back(m::object{{"iban", i.iban}});
    o["ibans"] = m::data(ibans);
    o["mode"] = i18n::text(layout.lang, "a_mode_" + c.collectTo);
    o["policy"] = c.policy.value_or("");
    o["fee"] = feeText(c.feeBasisPoints);
    o["sender_auth"] = c.senderAuth;
    m::list senders;
    for (const auto& s : v.senders) senders.push_back(m::data(s));
    o["senders"] = m::data(senders);
    Layout l = layout;
    l.title = c.name + " · duegate";
    return page(l, renderTemplate("admin_creditor", m::data(o)));
}

std::string accountPage(const Layout& layout, const AccountView& v) {
    m::object o = base(layout, v.ok, v.error);
    setIf(o, "new_key", v.newKey);
    m::list users;
    for (const auto& u : v.users) users.push_back(userRow(layout, u, v.selfId, ""));
    o["users"] = m::data(users);
    m::list keys;
    for (const auto& k : v.keys)
        keys.push_back(m::object{{"id", std::to_string(k.id)},
                                 {"name", k.name},
                                 {"created", displayInstant(k.createdAt)},
                                 {"state", i18n::text(layout.lang, k.revokedAt ? "a_revoked" : "a_live")},
                                 {"live", m::data(!k.revokedAt)}});
    o["keys"] = m::data(keys);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "a_account") + " · duegate";
    return page(l, renderTemplate("account", m::data(o)));
}

const std::vector<std::string>& pdfFieldNames() {
    static const std::vector<std::string> names{"invoice_number", "issue_date", "due_date", "amount",     "currency",
                                                "iban",           "reference",  "debtor_name", "debtor_email"};
    return names;
}

std::string pdfReviewPage(const Layout& layout, const services::PdfProposalView& v,
                          const std::map<std::string, std::string>& values, const std::string& error) {
    const auto& p = v.proposals;
    m::object o = base(layout, "", error);
    o["id"] = std::to_string(v.held.document.id);
    o["filename"] = v.held.document.filename;
    o["creditor"] = v.held.creditorName;
    if (v.readError) o["read_error"] = *v.readError;
    const std::map<std::string, const std::optional<parsers::invoice::Proposal>*> proposals{
        {"invoice_number", &p.invoiceNumber}, {"issue_date", &p.issueDate}, {"due_date", &p.dueDate},
        {"amount", &p.amount},                {"currency", &p.currency},    {"iban", &p.iban},
        {"reference", p.ogm ? &p.ogm : &p.rf}, {"debtor_name", &p.debtorName}, {"debtor_email", &p.debtorEmail}};
    m::list fields;
    for (const auto& name : pdfFieldNames()) {
        const auto& proposal = *proposals.at(name);
        m::object f{{"name", name}, {"label", i18n::text(layout.lang, "r_field_" + name)}};
        std::string value = proposal ? proposal->value : std::string();
        if (name == "currency" && value.empty()) value = "EUR";
        if (auto it = values.find(name); it != values.end()) value = it->second;
        f["value"] = value;
        if (proposal) {
            f["confidence"] = std::to_string(proposal->confidence);
            f["source"] = proposal->source;
        }
        fields.push_back(f);
    }
    o["fields"] = m::data(fields);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "r_title") + " · duegate";
    return page(l, renderTemplate("pdf_review", m::data(o)));
}

std::string pdfListPage(const Layout& layout, const std::vector<services::HeldPdf>& held) {
    m::object o = base(layout, "", "");
    m::list items;
    for (const auto& h : held)
        items.push_back(m::object{{"id", std::to_string(h.document.id)},
                                  {"filename", h.document.filename},
                                  {"creditor", h.creditorName}});
    o["has_items"] = m::data(!held.empty());
    o["items"] = m::data(items);
    Layout l = layout;
    l.title = i18n::text(layout.lang, "r_list_title") + " · duegate";
    return page(l, renderTemplate("pdf_list", m::data(o)));
}

}  // namespace duegate::portal::pages
