#include "parsers/invoice/CsvReader.h"

#include "parsers/common/Utf8.h"

#include "parsers/mime/Charset.h"

namespace duegate::parsers::invoice {

std::string cellReference(std::size_t col, std::size_t row) {
    std::string letters;
    std::size_t c = col + 1;
    while (c > 0) {
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
        c = (c - 1) / 26;
    }
    return letters + std::to_string(row);
}

Result<Grid> readCsv(std::string_view bytes, std::size_t maxRows, std::size_t maxCellBytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    // Separator: the most frequent of ; , TAB in the first line, outside quotes.
    char sep = ',';
    {
        std::size_t counts[3] = {0, 0, 0};
        bool q = false;
        for (char c : bytes) {
            if (c == '"') q = !q;
            if (q) continue;
            if (c == '\n') break;
            if (c == ';') ++counts[0];
            else if (c == ',') ++counts[1];
            else if (c == '\t') ++counts[2];
        }
        if (counts[0] > counts[1] && counts[0] >= counts[2]) sep = ';';
        else if (counts[2] > counts[1] && counts[2] > counts[0]) sep = '\t';
    }
    const bool utf8 = isValidUtf8(bytes);
    Grid grid;
    GridRow row;
    row.row = 1;
    std::string field;
    std::size_t line = 1;
    std::size_t col = 0;
    std::size_t i = 0;
    bool fieldStarted = false;
    auto endField = [&]() {
        if (!field.empty() || fieldStarted) {
            GridCell c;
            c.col = col;
            c.text = utf8 ? field : mime::utf8OrWindows1252(field);
            row.cells.push_back(std::move(c));
        }
        field.clear();
        fieldStarted = false;
        ++col;
    };
    auto endRow = [&]() -> bool {
        endField();
        if (!row.cells.empty()) grid.rows.push_back(std::move(row));
        row = GridRow{};
        col = 0;
        return grid.rows.size() <= maxRows;
    };
    while (i < bytes.size()) {
        const char c = bytes[i];
        if (c == '"' && field.empty() && !fieldStarted) {
            // Quoted field.
            const std::size_t startLine = line;
            const std::size_t startOffset = i;
            fieldStarted = true;
            ++i;
            for (;;) {
                if (i >= bytes.size())
                    return errorAt(startLine, startOffset, "csv", "quoted field not closed");
                if (bytes[i] == '"') {
                    if (i + 1 < bytes.size() && bytes[i + 1] == '"') { field += '"'; i += 2; continue; }
                    ++i;
                    break;
                }
                if (bytes[i] == '\n') ++line;
                field += bytes[i++];
                if (field.size() > maxCellBytes)
                    return errorAt(startLine, startOffset, "csv", "cell longer than " + std::to_string(maxCellBytes) + " bytes");
            }
            // Anything between the closing quote and the separator is kept, as Excel does.
            continue;
        }
        if (c == sep) { endField(); ++i; continue; }
        if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') { ++i; continue; }
        if (c == '\n') {
            if (!endRow()) return errorAt(line, i, "csv", "more than " + std::to_string(maxRows) + " rows");
            ++line;
            row.row = line;
            ++i;
            continue;
        }
        field += c;
        if (field.size() > maxCellBytes) return errorAt(line, i, "csv", "cell longer than " + std::to_string(maxCellBytes) + " bytes");
        ++i;
    }
    if (!endRow()) return errorAt(line, i, "csv", "more than " + std::to_string(maxRows) + " rows");
    return grid;
}

}  // namespace duegate::parsers::invoice
