// Applying one invoice to the store: debtor, dossier (with its payee fixed now), invoice,
// documents, events, the debtor's link and payment notice, or a 'draft' dossier + review task when
// the invoice names a payee IBAN the creditor did not register. The one place that turns an
// invoice into a dossier: the mail ingest (IngestService) and the file intake (FileIntake: UBL
// files, and the bulk template's rows read into the same UblInvoice shape) both call it, inside
// their own transaction. The same (creditor, document type, number) is one invoice, however often
// it comes in.
#pragma once

#include "gateway/services/Context.h"
#include "parsers/invoice/UblInvoice.h"
#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace duegate::services {

struct UblFile {
    std::string name;  // filename, or the part path when the file has none
    std::string bytes;
};

struct ParsedUbl {
    UblFile file;
    parsers::invoice::UblInvoice invoice;
    std::string sha256;  // blob of the file
    std::vector<std::pair<parsers::invoice::EmbeddedDocument, std::string>> renderings;  // + blob sha
};

struct InvoiceApplied {
    std::vector<std::string> done, attention;  // sentences for the acknowledgement
    std::vector<std::string> problems;         // the attention items that mean "not imported"
    std::size_t created = 0, duplicates = 0, held = 0;
};

// channel: how it came in, for the timeline ("email", "file").
void applyUblInvoice(Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> sourceItemId,
                     const store::CreditorRecord& creditor, const ParsedUbl& doc, const std::string& sender,
                     const std::string& channel, InvoiceApplied& out);

// The debtor's natural key within the creditor: VAT id, enterprise number, Peppol endpoint, e-mail, name.
std::string matchKeyFor(const parsers::invoice::Party& buyer);

}  // namespace duegate::services
