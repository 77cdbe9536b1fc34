// A table of rows written as CSV or XLSX, for the downloads of the creditor portal (reports and the
// bulk template). CSV: UTF-8, ';' separated (what Belgian and Dutch spreadsheet programs open),
// every cell quoted when needed, and a cell that starts with = + - @ (a formula to a spreadsheet:
// debtor names come from outside) prefixed with ' so it stays text. XLSX: libxlsxwriter; with
// `constantMemory` each row goes to a temp file as it is written (bounded memory for long reports;
// strings are then inline), else the workbook is built in memory (shared strings, as the bulk
// template parser reads back). finish() returns the file's bytes.
// Thread-safety: one writer per download.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace duegate::services {

// Text, or an exact amount in minor units with its number of decimals (shown as a number).
struct Amount {
    std::int64_t minor = 0;
    int decimals = 2;
};
using Cell = std::variant<std::string, std::int64_t, Amount>;

class TableWriter {
public:
    virtual ~TableWriter() = default;
    virtual void row(const std::vector<Cell>& cells) = 0;
    virtual std::string finish() = 0;
    virtual std::string contentType() const = 0;
    virtual std::string extension() const = 0;
};

// format: csv | xlsx. Throws std::invalid_argument for another format, std::runtime_error when
// libxlsxwriter cannot write its temp file.
std::unique_ptr<TableWriter> makeTableWriter(const std::string& format, const std::string& sheetName,
                                             bool constantMemory = true);

// "1234.50" from minor units (the CSV text of an Amount).
std::string amountText(const Amount& a);

}  // namespace duegate::services
