// Invoice files for one creditor, as the file intake (FileIntake.h) hands them over: a Peppol UBL
// Invoice/CreditNote, the bulk template as CSV or XLSX (row by row: a bad row is reported with its
// row and column and left out, the good rows import), a PDF (held for review: a review task and
// the document, no dossier, since nothing read from a PDF is a fact), or an .eml whose attachments
// are each handled so. Everything of one file is applied in ONE transaction; the same invoice
// number for the same creditor is one invoice however often it comes (counted as a duplicate).
#pragma once

#include "gateway/services/Context.h"
#include "store/Sql.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::services {

struct InvoiceRowError {
    std::size_t row = 0;   // CSV line / sheet row; 0 for a whole document (UBL, PDF)
    std::string column;    // template column, or the document's name
    std::string message;
};

struct InvoiceImportOutcome {
    std::size_t created = 0, duplicates = 0, held = 0;
    std::vector<InvoiceRowError> errors;
};

// The file as a whole cannot be read (no header row, broken XML, ...): nothing imported.
struct InvoiceFileRejected : InputError {
    using InputError::InputError;
};

bool sniffInvoiceFile(std::string_view head);

// begin/end run inside the import transaction (the file intake records its inbound item there).
InvoiceImportOutcome importInvoiceFile(Context& ctx, std::int64_t creditorId, const std::string& filename,
                                       std::string_view bytes, const std::string& sha256,
                                       const std::function<std::optional<std::int64_t>(store::Tx&)>& begin,
                                       const std::function<void(store::Tx&)>& end);

}  // namespace duegate::services
