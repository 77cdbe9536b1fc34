// Every HTML page of the portal, one file each in portal/pages/. A page is a pure function from
// data the services returned to a complete document; all data goes through escapeHtml().
#pragma once

#include "gateway/services/DossierQueries.h"
#include "portal/Html.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

// LoginPage.cpp: e-mail + password form with the pre-session CSRF token.
std::string loginPage(const std::string& csrfToken, const std::string& error, const std::string& email);

// DossierListPage.cpp: the user's dossiers (reference, debtor, status, open amount, due date).
std::string dossierListPage(const Layout& layout, const std::vector<services::DossierSummary>& dossiers, bool staff,
                            std::optional<std::int64_t> nextAfterId);

// DossierPage.cpp: one dossier: invoices, events (oldest first) and outbound messages with state.
std::string dossierPage(const Layout& layout, const services::DossierDetail& detail, bool staff);

// QuarantinePage.cpp: quarantined inbound items in scope with their error.
std::string quarantinePage(const Layout& layout, const std::vector<store::InboundItemRecord>& items, bool staff);

// DebtorPage.cpp: what the debtor sees through a personal link.
std::string debtorPage(const services::DebtorView& view, const std::optional<std::string>& epcPayload,
                       const std::optional<std::string>& qrSvg);

// ErrorPage.cpp: 404 (reveals nothing) and other short error pages.
std::string notFoundPage();
std::string errorPage(const std::string& title, const std::string& message);

}  // namespace duegate::portal::pages
