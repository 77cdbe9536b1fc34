// A sheet of text cells, the common shape of a CSV file and an XLSX worksheet, so that the bulk
// template is checked by one piece of code whatever the container.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace duegate::parsers::invoice {

struct GridCell {
    std::size_t col = 0;     // 0-based
    std::string text;        // CSV: the field; XLSX: shared/inline string or the number's text
    bool number = false;     // XLSX numeric cell (text holds the stored decimal, e.g. "45678" or "1234.5")
};

struct GridRow {
    std::size_t row = 0;     // 1-based as shown to users
    std::vector<GridCell> cells;
};

struct Grid {
    std::vector<GridRow> rows;
    bool date1904 = false;   // XLSX workbookPr date1904
};

// "F7" for column index 5, row 7.
std::string cellReference(std::size_t col, std::size_t row);

}  // namespace duegate::parsers::invoice
