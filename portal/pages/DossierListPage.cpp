#include "portal/pages/Pages.h"

namespace duegate::portal::pages {
namespace {

// The earliest due date among the dossier's invoices; "" when none has one.
std::string dueDate(const services::DossierSummary& s) {
    std::string earliest;
    for (const auto& inv : s.invoices)
        if (inv.dueDate && (earliest.empty() || *inv.dueDate < earliest)) earliest = *inv.dueDate;
    return earliest;
}

}  // namespace

std::string dossierListPage(const Layout& layout, const std::vector<services::DossierSummary>& dossiers, bool staff,
                            std::optional<std::int64_t> nextAfterId) {
    std::string b = "<h1>Dossiers</h1>";
    if (dossiers.empty()) {
        b += "<p class=\"card muted\">No dossiers yet.</p>";
        return page(layout, b);
    }
    b += "<table class=\"stack\"><thead><tr><th>Reference</th>";
    if (staff) b += "<th>Creditor</th>";
    b += "<th>Debtor</th><th>Status</th><th>Open</th><th>Due</th></tr></thead><tbody>";
    for (const auto& s : dossiers) {
        const auto& d = s.dossier;
        b += "<tr><td data-label=\"Reference\"><a href=\"/dossiers/" + std::to_string(d.id) + "\">" + h(d.reference) +
             "</a></td>";
        if (staff) b += "<td data-label=\"Creditor\">" + h(s.creditorName) + "</td>";
        b += "<td data-label=\"Debtor\">" + h(s.debtor.name) + "</td>";
        b += "<td data-label=\"Status\">" + h(d.status) + "</td>";
        b += "<td data-label=\"Open\">" + h(displayMoney(d.openMinor, d.currency)) + "</td>";
        b += "<td data-label=\"Due\">" + h(dueDate(s)) + "</td></tr>";
    }
    b += "</tbody></table>";
    if (nextAfterId) b += "<p><a href=\"/?after=" + std::to_string(*nextAfterId) + "\">Next page</a></p>";
    return page(layout, b);
}

}  // namespace duegate::portal::pages
