// The creditor's own pages (issue 14 item 2): tools, new dossier by form, bulk upload, reports,
// notification settings, webhook endpoints and deliveries (templates/*.mustache of the same names).
// Pure: data in, a complete document out; every text from the catalogs (keys cr_*).
#pragma once

#include "gateway/services/CreditorForms.h"
#include "store/CreditorPortalRepository.h"
#include "portal/Html.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

std::string creditorToolsPage(const Layout& layout);

// values: the fields as typed (shown again); errors: field -> code (cr_err_<code>).
std::string newDossierPage(const Layout& layout, const std::map<std::string, std::string>& values,
                           const std::map<std::string, std::string>& errors);

std::string uploadPage(const Layout& layout, const std::optional<services::BulkOutcome>& result, const std::string& error);

std::string reportsPage(const Layout& layout, const std::string& from, const std::string& to, const std::string& error);

std::string notificationsPage(const Layout& layout, const std::map<std::string, std::string>& modes,
                              const std::string& mailLanguage, bool ok, const std::string& error);

std::string webhooksPage(const Layout& layout, const std::vector<store::creditor_portal::WebhookEndpoint>& endpoints,
                         const std::string& newSecret, bool removed, const std::string& error, const std::string& url);

std::string webhookDeliveriesPage(const Layout& layout, const std::vector<store::creditor_portal::DeliveryRow>& rows);

}  // namespace duegate::portal::pages
