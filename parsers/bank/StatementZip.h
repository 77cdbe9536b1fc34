// A ZIP archive of bank statement files, as banks and accounting tools deliver them (one CODA,
// CAMT or MT940 file per account/day). Each entry is sniffed by content and parsed; the result
// concatenates the statements, with the entry name in every warning and error (Error::context).
//
// Bounds (Limits): number of entries, uncompressed bytes per entry and in total (read counts, not
// the header's claims, so a lying header cannot inflate memory); names that escape the archive
// ("../", absolute paths, backslashes, drive letters) are rejected; nested archives, encrypted
// entries and entries that are no statement are errors (a bank ZIP holds statements only).
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <string_view>

namespace duegate::parsers::bank {

// A ZIP whose first file entry sniffs as CODA, CAMT or MT940 (so an OOXML spreadsheet or a ZIP of
// invoices is left to other formats).
bool sniffStatementZip(std::string_view bytes);

Result<StatementFile> parseStatementZip(std::string_view bytes, const Limits& limits = {});

}  // namespace duegate::parsers::bank
