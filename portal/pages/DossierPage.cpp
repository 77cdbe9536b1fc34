#include "portal/pages/Pages.h"

namespace duegate::portal::pages {

std::string dossierPage(const Layout& layout, const services::DossierDetail& detail, bool staff) {
    const auto& s = detail.summary;
    const auto& d = s.dossier;
    std::string b = "<h1>Dossier " + h(d.reference) + "</h1>";

    b += "<div class=\"card\"><p class=\"amount\">" + h(displayMoney(d.openMinor, d.currency)) +
         "</p><dl><dt>Status</dt><dd>" + h(d.status) + "</dd>";
    if (staff) b += "<dt>Creditor</dt><dd>" + h(s.creditorName) + "</dd>";
    b += "<dt>Debtor</dt><dd>" + h(s.debtor.name) + "</dd>";
    if (s.debtor.email) b += "<dt>E-mail</dt><dd>" + h(s.debtor.email) + "</dd>";
    if (s.debtor.phone) b += "<dt>Phone</dt><dd>" + h(s.debtor.phone) + "</dd>";
    if (d.ogm) b += "<dt>Structured reference</dt><dd class=\"mono\">" + h(d.ogm) + "</dd>";
    b += "<dt>Created</dt><dd>" + h(displayInstant(d.createdAt)) + "</dd></dl></div>";

    b += "<h2>Invoices</h2>";
    if (s.invoices.empty()) {
        b += "<p class=\"muted\">No invoices.</p>";
    } else {
        b += "<table class=\"stack\"><thead><tr><th>Number</th><th>Type</th><th>Amount</th><th>Issued</th><th>Due</th>"
             "</tr></thead><tbody>";
        for (const auto& inv : s.invoices) {
            b += "<tr><td data-label=\"Number\">" + h(inv.number) + "</td><td data-label=\"Type\">" +
                 h(inv.documentType) + "</td><td data-label=\"Amount\">" +
                 h(displayMoney(inv.amountMinor, inv.currency)) + "</td><td data-label=\"Issued\">" +
                 h(inv.issueDate) + "</td><td data-label=\"Due\">" + h(inv.dueDate) + "</td></tr>";
        }
        b += "</tbody></table>";
    }

    b += "<h2>Timeline</h2>";
    if (detail.events.empty()) {
        b += "<p class=\"muted\">No events.</p>";
    } else {
        b += "<table class=\"stack\"><thead><tr><th>When (UTC)</th><th>What</th><th>Channel</th><th>Summary</th>"
             "</tr></thead><tbody>";
        for (const auto& e : detail.events) {
            b += "<tr><td data-label=\"When\">" + h(displayInstant(e.at)) + "</td><td data-label=\"What\">" + h(e.kind) +
                 "</td><td data-label=\"Channel\">" + h(e.channel) + "</td><td data-label=\"Summary\">" + h(e.summary) +
                 "</td></tr>";
        }
        b += "</tbody></table>";
    }

    b += "<h2>Messages</h2>";
    if (detail.messages.empty()) {
        b += "<p class=\"muted\">No messages.</p>";
    } else {
        b += "<table class=\"stack\"><thead><tr><th>Channel</th><th>Purpose</th><th>To</th><th>Subject</th>"
             "<th>State</th><th>Attempts</th><th>Next attempt</th><th>Last error</th></tr></thead><tbody>";
        for (const auto& m : detail.messages) {
            b += "<tr><td data-label=\"Channel\">" + h(m.channel) + "</td><td data-label=\"Purpose\">" + h(m.purpose) +
                 "</td><td data-label=\"To\">" + h(m.recipient) + "</td><td data-label=\"Subject\">" + h(m.subject) +
                 "</td><td data-label=\"State\">" + h(m.state) + "</td><td data-label=\"Attempts\">" +
                 std::to_string(m.attempts) + "</td><td data-label=\"Next attempt\">" +
                 h(displayInstant(m.nextAttemptAt)) + "</td><td data-label=\"Last error\">" + h(m.lastError) +
                 "</td></tr>";
        }
        b += "</tbody></table>";
    }
    b += "<p><a href=\"/\">All dossiers</a></p>";
    Layout l = layout;
    l.title = "Dossier " + d.reference + " · duegate";
    return page(l, b);
}

}  // namespace duegate::portal::pages
