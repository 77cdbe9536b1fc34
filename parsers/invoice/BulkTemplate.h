// The agency's bulk invoice template: one row per invoice, as CSV or XLSX (blank templates in
// fixtures/invoice/bulk_template.csv and bulk_template_sheet.xlsx; columns documented in docs/formats-invoice.md).
//
// The header row is found by its column names (snake_case, any order, any case), so the table may
// start anywhere (not at A1) and may have title rows above it. Every data row is checked cell by
// cell: a bad cell becomes a CellError naming the row (1-based, as the user sees it: the CSV line
// or the sheet row number) and the column; that row is left out, and every good row is still
// returned. Only a file without a header row, or past a bound, fails as a whole.
// Money: minor units of the row's currency (no floating point: XLSX numbers are read from their
// decimal text and rounded to 15 significant digits, Excel's own precision, before the exact
// conversion). Dates: CivilDate; CSV takes YYYY-MM-DD or DD/MM/YYYY (DD-MM-YYYY, DD.MM.YYYY);
// XLSX takes date serials (1900 and 1904 systems) or the same text forms.
// Thread-safety: pure functions.
#pragma once

#include "parsers/common/CivilDate.h"
#include "parsers/common/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::invoice {

// Column names in template order.
const std::vector<std::string>& bulkTemplateColumns();

struct BulkRow {
    std::size_t row = 0;               // CSV line / sheet row, 1-based
    std::string creditorReference;     // the creditor's own customer or file reference
    std::string debtorName;            // required
    std::string email;                 // optional, checked for shape
    std::string phone;                 // optional, digits with + ( ) - . / spaces
    std::string street, postcode, city, country;  // country ISO 3166 alpha-2 when given
    std::string language;              // required: NL, FR, EN or DE (upper-cased)
    std::string vatNumber;             // optional, upper-cased without spaces/dots ("BE0123456749")
    std::string invoiceNumber;         // required
    CivilDate issueDate;               // required
    std::optional<CivilDate> dueDate;  // optional; must not be before issueDate
    std::int64_t amountMinor = 0;      // required, > 0 (the template lists open invoices, not credits)
    std::string currency = "EUR";      // blank means EUR
    std::optional<std::string> ogm;    // 12 digits when given (checked)
};

struct CellError {
    std::size_t row = 0;
    std::string column;   // template column name ("amount"), or the cell reference for XLSX ("F7")
    std::string cell;     // spreadsheet reference ("F7") for XLSX, empty for CSV
    std::string message;
};

struct BulkSheet {
    std::string source;            // "csv" | "xlsx"
    std::size_t headerRow = 0;     // 1-based
    std::vector<BulkRow> rows;     // the good rows, in file order
    std::vector<CellError> errors; // per row and column
};

struct BulkLimits {
    std::size_t maxBytes = 20u << 20;
    std::size_t maxRows = 20000;
    std::size_t maxCellBytes = 4096;
    std::size_t maxUncompressedBytes = 100u << 20;  // XLSX: all parts read together (zip bombs)
};

Result<BulkSheet> parseBulkCsv(std::string_view bytes, const BulkLimits& limits = {});
Result<BulkSheet> parseBulkXlsx(std::string_view bytes, const BulkLimits& limits = {});

}  // namespace duegate::parsers::invoice
