// The finance team's pages (issue 9, item 5): the payments queue (/payments), one statement line
// with its work forms (/payments/{id}) and the statement upload (/payments/upload), built from
// templates/{payments,payment,payment_upload}.mustache. Pure functions from what the payment
// services returned; every value is escaped by the templates.
#pragma once

#include "gateway/services/DossierQueries.h"
#include "gateway/services/payments/PaymentService.h"
#include "portal/Html.h"
#include "store/CreditorRepository.h"
#include "store/PortalReadRepository.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::portal::pages {

struct PaymentsView {
    // The filters as typed (shown again in the form and carried by the next-page link).
    std::string state = "open", from, to, amount;
    std::optional<std::int64_t> creditorId, dossierId;
    bool staff = false;
    std::vector<store::CreditorRecord> creditors;  // staff: the creditor filter
    std::vector<services::payments::QueueItem> items;
    std::optional<std::int64_t> nextAfterId;       // keyset: the next page starts after this id
    std::string csrf;
};
std::string paymentsPage(const Layout& layout, const PaymentsView& view);

struct PaymentView {
    services::payments::QueueItem item;
    std::string csrf, ok, error;                          // ok/error already in the page's language
    std::string q;                                        // the dossier search as typed
    bool searched = false;
    std::vector<store::portal_reads::DossierRow> results;  // the dossier search
};
std::string paymentPage(const Layout& layout, const PaymentView& view);

struct UploadView {
    std::string csrf;
    std::string filename;                                        // after an upload
    std::optional<services::payments::StatementOutcome> outcome;  // a statement file taken
    std::string error;                                           // the located error of a rejected file
};
std::string uploadPage(const Layout& layout, const UploadView& view);

// "EUR 12.50" for a line amount, keeping a CODA 3-decimal amount's decimals.
std::string lineAmount(const store::payments::LineRecord& line);

}  // namespace duegate::portal::pages
