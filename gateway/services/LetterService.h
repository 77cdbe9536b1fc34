// A letter message (outbound_messages channel 'letter') becomes a PDF for the print provider.
//
// letterFor() reads the dossier, debtor, creditor and invoices and fills channels::Letter: the
// agency (for the creditor) as sender, the debtor's postal address for the window, the message's
// subject and text (the rendered template the daily run queued), an amounts table (each invoice,
// the open amount in bold), the payment block (payee, IBAN, reference) and the EPC QR payload for
// the open amount. printLetter() renders it, keeps the PDF as a document of the creditor (blob +
// documents row, linked from the message) and hands it to the provider: one folder per day.
// Errors: NotFound when the dossier or debtor is gone; the caller (the dispatcher) fails the message.
#pragma once

#include "channels/Delivery.h"
#include "channels/letter/LetterPdf.h"
#include "channels/letter/PrintProvider.h"
#include "gateway/services/Context.h"
#include "store/Records.h"
#include "store/Sql.h"

namespace duegate::services {

struct LetterJob {
    channels::Letter letter;
    std::string dossierReference, recipientName, addressLine;
};

LetterJob letterFor(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& m);

channels::DeliveryResult printLetter(const Context& ctx, channels::PrintProvider& print,
                                     const store::OutboundMessageRecord& m);

// "1.234,50 €" (nl, fr) or "€1,234.50" (en) for an amount in minor units of `currency`.
std::string formatAmount(std::int64_t minor, const std::string& currency, const std::string& language);

}  // namespace duegate::services
