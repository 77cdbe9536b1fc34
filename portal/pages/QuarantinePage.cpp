#include "portal/pages/Pages.h"

namespace duegate::portal::pages {

std::string quarantinePage(const Layout& layout, const std::vector<store::InboundItemRecord>& items, bool staff) {
    std::string b = "<h1>Quarantine</h1>"
                    "<p class=\"muted\">Inbound items duegate could not read. The original is kept; once the cause is "
                    "fixed, an operator reprocesses them (<code>duegate reprocess</code>).</p>";
    if (items.empty()) {
        b += "<p class=\"card muted\">Nothing in quarantine.</p>";
        return page(layout, b);
    }
    b += "<table class=\"stack\"><thead><tr><th>Item</th><th>Received (UTC)</th>";
    if (staff) b += "<th>Creditor id</th>";
    b += "<th>Kind</th><th>From</th><th>Error</th><th>Attempts</th></tr></thead><tbody>";
    for (const auto& it : items) {
        b += "<tr><td data-label=\"Item\">#" + std::to_string(it.id) + "</td><td data-label=\"Received\">" +
             h(displayInstant(it.receivedAt)) + "</td>";
        if (staff) b += "<td data-label=\"Creditor id\">" + std::to_string(it.creditorId) + "</td>";
        b += "<td data-label=\"Kind\">" + h(it.kind) + "</td><td data-label=\"From\">" + h(it.mailFrom) +
             "</td><td data-label=\"Error\">" + h(it.error) + "</td><td data-label=\"Attempts\">" +
             std::to_string(it.attempts) + "</td></tr>";
    }
    b += "</tbody></table>";
    Layout l = layout;
    l.title = "Quarantine · duegate";
    return page(l, b);
}

}  // namespace duegate::portal::pages
