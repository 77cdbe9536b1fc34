// Read use cases for the portal and the API, always within the caller's scope: a creditor sees
// its own dossiers, staff see all, a debtor sees the one dossier of a valid link. Another tenant's
// id behaves exactly like a missing one (NotFound / std::nullopt), never a 403 that confirms it.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DebtorActions.h"
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

// Who is asking. creditorId empty = agency staff (all creditors).
struct Principal {
    std::optional<std::int64_t> creditorId;
    std::optional<std::int64_t> userId;
    std::string displayName;
    bool staff() const { return !creditorId.has_value(); }
};

struct DossierSummary {
    store::DossierRecord dossier;
    store::DebtorRecord debtor;
    std::vector<store::InvoiceRecord> invoices;
    std::string creditorName;
};

struct DossierDetail {
    DossierSummary summary;
    std::vector<store::EventRecord> events;            // oldest first
    std::vector<store::OutboundMessageRecord> messages;
};

std::vector<DossierSummary> listDossiers(Context& ctx, const Principal& who, std::size_t limit = 500,
                                         std::int64_t afterId = 0);
std::optional<DossierDetail> dossierDetail(Context& ctx, const Principal& who, std::int64_t dossierId);

// The debtor's view through a personal link, read in a read transaction; records `link_opened` (at
// most once per link per hour, in a short write transaction of its own).
// std::nullopt for a malformed, tampered, expired or revoked token.
struct DebtorView {
    std::int64_t linkId = 0;
    DossierSummary summary;
    std::optional<std::string> ogmFormatted;  // "+++123/4567/89002+++" for the dossier
    std::string payToIban, payToBic, payeeName;
    std::string paymentReference;             // what to write on the transfer
};
std::optional<DebtorView> openDebtorLink(Context& ctx, const std::string& token, const std::string& userAgent);
// The same, and the state of the debtor's answers (debtorState) read in the same transaction: the
// debtor page's data in one read.
std::optional<DebtorView> openDebtorLink(Context& ctx, const std::string& token, const std::string& userAgent,
                                         DebtorState& state);

// Quarantined inbound items in scope, newest last, for the operator and the creditor.
std::vector<store::InboundItemRecord> quarantinedItems(Context& ctx, const Principal& who, std::size_t limit = 200);

}  // namespace duegate::services
