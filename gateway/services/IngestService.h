// The ingest use case: turn a received inbound mail into dossiers, or quarantine it with a reason.
//
// processPending() takes items in state 'received' (oldest first), reads the raw bytes from the
// blob store, parses them (MIME, then every Peppol UBL Invoice/CreditNote attached, also inside
// forwarded messages), and applies each item in ONE transaction: documents, debtor, dossier,
// invoice, `invoice_received` and `dossier_created` events, the debtor link, the payment notice to
// the debtor and the acknowledgement to the sender through the outbox, and the item's move to
// 'applied'. An item that cannot be used (no attachment, no UBL, broken UBL, unreadable MIME)
// moves to 'quarantined' with a reason that names the file and the located error; the sender gets
// a reply saying what was wrong only when it is one of the creditor's known addresses (no
// backscatter). A store failure leaves the item 'received' for the next pass.
// The same invoice number for the same creditor is one dossier, however often it is sent.
// Thread-safety: several workers may run it; the state guard lets exactly one apply an item.
#pragma once

#include "gateway/services/Context.h"

#include <cstdint>
#include <string>

namespace duegate::services {

struct IngestStats {
    std::size_t applied = 0, quarantined = 0, failed = 0;
};

IngestStats processPending(Context& ctx, std::size_t limit = 50);

// Moves a quarantined item back to 'received' so the next pass parses it again (after a fix).
// Scope: a creditor id, or nothing for staff. Throws NotFound / InputError.
void reprocessItem(Context& ctx, std::optional<std::int64_t> scope, std::int64_t itemId);
// Every quarantined item (staff); returns how many were queued again.
std::size_t reprocessAllQuarantined(Context& ctx);

}  // namespace duegate::services
