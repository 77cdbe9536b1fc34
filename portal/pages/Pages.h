// Every HTML page of the portal, one file each in portal/pages/. A page is a pure function from
// data the services returned to a complete document; all data goes through escapeHtml().
#pragma once

#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/PortalService.h"
#include "portal/Html.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

// LoginPage.cpp: e-mail + password form with the pre-session CSRF token.
std::string loginPage(const std::string& csrfToken, const std::string& error, const std::string& email,
                      const std::string& lang = "en", const std::string& notice = "");

// WorkPages.cpp: the creditor and staff pages (templates dashboard, dossiers, dossier, tasks).
std::string dashboardPage(const Layout& layout, const services::Dashboard& dashboard);

struct DossierSearchView {
    std::string q, amount, status, from, to;   // the filters as typed (shown again in the form)
    bool staff = false;
    std::vector<store::portal_reads::DossierRow> rows;
    std::optional<std::int64_t> nextBeforeId;  // keyset: the next page starts below this id
};
std::string dossierSearchPage(const Layout& layout, const DossierSearchView& view);

// The dossier workspace: the whole history on one screen (every message with its full text).
// staffTools: the staff forms of StaffPages.h (assign, refuse, write, close), shown to staff only.
std::string workspacePage(const Layout& layout, const services::Workspace& workspace, bool staff, const std::string& ok,
                          const std::string& error, std::optional<std::int64_t> openTask,
                          const std::string& staffTools = {});

struct TasksView {
    std::vector<services::TaskRow> rows;
    std::vector<store::CreditorRecord> creditors;
    std::string kind;
    std::optional<std::int64_t> creditorId;
    bool mine = false;
    std::string ok;
};
std::string tasksPage(const Layout& layout, const TasksView& view);

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
std::string notFoundPage(const std::string& lang);  // in the reader's language
std::string errorPage(const std::string& title, const std::string& message);
std::string errorPage(const std::string& lang, const std::string& title, const std::string& message);

}  // namespace duegate::portal::pages
