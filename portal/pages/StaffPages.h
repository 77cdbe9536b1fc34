// The case managers' and admins' pages (issue 14 items 2/3): the staff tools on the dossier
// workspace (assign, refuse a plan, write, close), the debtor's "closed" page, the admin pages for
// creditors and users, and a creditor's own account (users, API keys).
// Templates: dossier_staff, debtor_closed, admin, admin_creditor, account.
#pragma once

#include "gateway/services/AccountService.h"
#include "gateway/services/PdfProposals.h"
#include "gateway/services/PortalService.h"
#include "portal/Html.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

// An HTML fragment for the staff part of the workspace (dossier.mustache's {{{staff_tools}}}).
std::string staffTools(const Layout& layout, const services::Workspace& w,
                       const std::vector<store::UserRecord>& caseManagers);

// What a debtor's link shows once its dossier was closed (instead of the answers).
std::string debtorClosedPage(const std::string& lang);

struct AdminView {
    std::vector<store::CreditorRecord> creditors;
    std::vector<store::staff::UserRow> users;
    std::optional<std::int64_t> selfId;
    std::string ok, error, newKey;
};
std::string adminPage(const Layout& layout, const AdminView& v);
std::string adminCreditorPage(const Layout& layout, const services::CreditorAdminView& c, const std::string& ok,
                              const std::string& error);

struct AccountView {
    std::vector<store::staff::UserRow> users;
    std::vector<store::staff::ApiKeyRow> keys;
    std::optional<std::int64_t> selfId;
    std::string ok, error, newKey;
};
std::string accountPage(const Layout& layout, const AccountView& v);

// A held PDF beside the fields proposed from it, each with its confidence, source line and a
// "checked" box (pdf_review); `values` are what the person typed last (after an error).
std::string pdfReviewPage(const Layout& layout, const services::PdfProposalView& v,
                          const std::map<std::string, std::string>& values, const std::string& error);
std::string pdfListPage(const Layout& layout, const std::vector<services::HeldPdf>& held);

// The confirmable fields, in the form's order.
const std::vector<std::string>& pdfFieldNames();

}  // namespace duegate::portal::pages
