// Every HTML page of the portal, one file each in portal/pages/. A page is a pure function from
// data the services returned to a complete document; all data goes through escapeHtml().
#pragma once

#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "portal/Html.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

// LoginPage.cpp: e-mail + password form with the pre-session CSRF token.
std::string loginPage(const std::string& csrfToken, const std::string& error, const std::string& email,
                      const std::string& lang = "en");

// DossierListPage.cpp: the user's dossiers (reference, debtor, status, open amount, due date).
std::string dossierListPage(const Layout& layout, const std::vector<services::DossierSummary>& dossiers, bool staff,
                            std::optional<std::int64_t> nextAfterId);

// DossierPage.cpp: one dossier: invoices, events (oldest first) and outbound messages with state.
std::string dossierPage(const Layout& layout, const services::DossierDetail& detail, bool staff);

// QuarantinePage.cpp: quarantined inbound items in scope with their error.
std::string quarantinePage(const Layout& layout, const std::vector<store::InboundItemRecord>& items, bool staff);

// DebtorPage.cpp: what the debtor sees through a personal link (templates/debtor.mustache), in
// `lang`, with every form of the answers the notice promises, and the copy of a UBL invoice.
struct DebtorPageInput {
    const services::DebtorView& view;
    const services::DebtorState& state;
    std::optional<std::string> epcPayload, qrSvg;
    std::string lang, token, csrf;
    std::string ok, error;               // confirmation / error text (already in `lang`)
    services::DebtorPolicy policy;
    parsers::CivilDate today;
};
std::string debtorPage(const DebtorPageInput& input);
std::string invoiceCopyPage(const std::string& lang, const std::string& token, const parsers::invoice::UblInvoice& u);

// ErrorPage.cpp: 404 (reveals nothing) and other short error pages.
std::string notFoundPage();
std::string errorPage(const std::string& title, const std::string& message);
std::string errorPage(const std::string& lang, const std::string& title, const std::string& message);

}  // namespace duegate::portal::pages
