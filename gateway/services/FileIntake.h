// One intake service for files, whatever door they come through: `duegate import` (cli), the API
// (POST /api/v1/statements and /api/v1/invoices), the portal upload, the SFTP drop watcher and
// statement files attached to a mail.
//
// importFile() first makes the raw bytes durable (content-addressed blob), then sniffs them by
// content (never by name) and processes them:
//   bank statement (CODA, CAMT.053/054, MT940, zip of them) -> payments::importStatement: every
//     booked entry stored once by its natural key, then matched;
//   invoices (for a creditor): Peppol UBL Invoice/CreditNote through the same code as the mail
//     ingest (applyUblInvoice), the CSV/XLSX bulk template row by row (a bad row is reported with
//     its row and column, the good rows import), a PDF held for review (a task, no dossier), an
//     .eml whose attachments are each handled as above.
// When a creditor is known, the file is also an inbound_items row (kind 'file'), idempotent by
// (creditor, kind, sha256): the same file twice is one item, and the natural keys of lines and
// invoices make the second import add nothing. The row is written in the same transaction as the
// import (so the mail ingest worker never sees it half done) and ends 'applied', or 'quarantined'
// with the located error when the file is rejected as a whole (nothing of it imported).
// Thread-safety: any number of threads and processes; see PaymentService.h for concurrent imports.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/payments/PaymentService.h"

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::services {

struct FileOutcome {
    std::string kind;         // statement | invoices | unknown
    std::string json;         // one line, the shape `duegate import` prints (INTERFACES.md)
    bool applied = false;     // processed (also when everything in it was known already)
    bool quarantined = false; // rejected as a whole: nothing imported, `error` says where
    std::string error;        // located, one line
    std::optional<std::int64_t> itemId;
    std::optional<payments::StatementOutcome> statement;  // the counts and gap sentences of a statement file
};

// door: cli | api | portal | drop | mail. `filename` is for display only (never a path).
// Throws only for infrastructure failures (store, blob store): the caller may retry.
FileOutcome importFile(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                       const std::string& filename, std::string_view bytes);

// The same for a file on disk (the CLI): streamed into the blob store and parsed back from it as a
// stream, so a statement file of any size is never held whole (invoice files still are).
FileOutcome importFilePath(Context& ctx, std::optional<std::int64_t> creditorId, const std::string& door,
                           const std::string& filename, const std::string& path);

}  // namespace duegate::services
