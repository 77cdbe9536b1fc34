#include "parsers/invoice/XlsxReader.h"

#include "parsers/common/ZipReader.h"
#include "parsers/invoice/XmlTree.h"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipStream.h>

#include <map>

namespace duegate::parsers::invoice {
namespace {

// Reads one part, refusing more than `budget` bytes in total (the header's size may lie).
std::optional<std::string> readPart(ZipReader& zip, const std::string& name, std::size_t& budget, std::string& error) {
    auto it = zip.archive().findHeader(name);
    if (it == zip.archive().headerEnd()) return std::nullopt;
    if (it->second.getUncompressedSize() > budget) {
        error = name + ": uncompressed size over the limit";
        return std::string();
    }
    Poco::Zip::ZipInputStream zin(zip.data(), it->second, true);
    std::string out;
    char buf[16384];
    while (zin.read(buf, sizeof buf) || zin.gcount() > 0) {
        const auto n = static_cast<std::size_t>(zin.gcount());
        if (n > budget) {
            error = name + ": uncompressed size over the limit";
            return std::string();
        }
        budget -= n;
        out.append(buf, n);
    }
    return out;
}

void collectText(const XmlNode& n, std::string& out) {
    if (n.name == "t") out += n.text;
    for (const auto& c : n.children)
        if (c->name != "rPh") collectText(*c, out);  // phonetic runs are not part of the value
}

// "BC12" -> col 54, row 12; false when malformed.
bool parseRef(std::string_view ref, std::size_t& col, std::size_t& row) {
    std::size_t i = 0, c = 0;
    while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') { c = c * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1); ++i; }
    if (i == 0 || i > 3 || i == ref.size()) return false;
    std::size_t r = 0;
    for (; i < ref.size(); ++i) {
        if (ref[i] < '0' || ref[i] > '9') return false;
        r = r * 10 + static_cast<std::size_t>(ref[i] - '0');
        if (r > 1048576) return false;
    }
    col = c - 1;
    row = r;
    return r > 0;
}

}  // namespace

Result<Grid> readXlsx(std::string_view bytes, std::size_t maxUncompressedBytes, std::size_t maxRows) {
    try {
        ZipReader zip(bytes);
        std::size_t budget = maxUncompressedBytes;
        std::string error;
        auto workbook = readPart(zip, "xl/workbook.xml", budget, error);
        if (!error.empty()) return errorAtOffset(0, "xlsx", error);
        if (!workbook) return errorAtOffset(0, "xlsx", "no xl/workbook.xml: not a spreadsheet");
        XmlLimits xl;
        xl.maxBytes = maxUncompressedBytes;
        xl.maxElements = 4000000;
        auto wb = parseXmlTree(*workbook, xl);
        if (!wb) { auto e = wb.error(); e.context = "xl/workbook.xml"; e.field = "xl/workbook.xml " + e.field; return e; }
        Grid grid;
        if (const auto* pr = wb.value()->child("workbookPr")) {
            const std::string d = pr->attribute("date1904");
            grid.date1904 = d == "1" || d == "true";
        }
        const auto* sheets = wb.value()->child("sheets");
        const auto* first = sheets ? sheets->child("sheet") : nullptr;
        if (!first) return errorAtOffset(0, "xl/workbook.xml", "no worksheet");
        const std::string rid = first->attribute("id");  // r:id, local name "id"
        std::string target = "worksheets/sheet1.xml";
        if (auto rels = readPart(zip, "xl/_rels/workbook.xml.rels", budget, error); rels && error.empty()) {
            auto rt = parseXmlTree(*rels, xl);
            if (!rt) { auto e = rt.error(); e.field = "xl/_rels/workbook.xml.rels " + e.field; return e; }
            for (const auto* r : rt.value()->all("Relationship"))
                if (r->attribute("Id") == rid) target = r->attribute("Target");
        }
        if (!error.empty()) return errorAtOffset(0, "xlsx", error);
        // Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml").
        std::string sheetPath = target.rfind('/', 0) == 0 ? target.substr(1) : "xl/" + target;

        std::vector<std::string> shared;
        if (auto ss = readPart(zip, "xl/sharedStrings.xml", budget, error); ss && error.empty()) {
            auto st = parseXmlTree(*ss, xl);
            if (!st) { auto e = st.error(); e.field = "xl/sharedStrings.xml " + e.field; return e; }
            for (const auto* si : st.value()->all("si")) {
                std::string s;
                collectText(*si, s);
                shared.push_back(std::move(s));
            }
        }
        if (!error.empty()) return errorAtOffset(0, "xlsx", error);

        auto sheetXml = readPart(zip, sheetPath, budget, error);
        if (!error.empty()) return errorAtOffset(0, "xlsx", error);
        if (!sheetXml) return errorAtOffset(0, "xlsx", "worksheet " + sheetPath + " missing");
        auto sheet = parseXmlTree(*sheetXml, xl);
        if (!sheet) { auto e = sheet.error(); e.field = sheetPath + " " + e.field; return e; }
        const auto* data = sheet.value()->child("sheetData");
        if (!data) return grid;
        std::size_t nextRow = 1;
        for (const auto* r : data->all("row")) {
            GridRow gr;
            const std::string rAttr = r->attribute("r");
            gr.row = rAttr.empty() ? nextRow : static_cast<std::size_t>(std::strtoul(rAttr.c_str(), nullptr, 10));
            if (gr.row == 0) gr.row = nextRow;
            nextRow = gr.row + 1;
            std::size_t nextCol = 0;
            for (const auto* c : r->all("c")) {
                GridCell cell;
                std::size_t col = nextCol, row = gr.row;
                const std::string ref = c->attribute("r");
                if (!ref.empty() && !parseRef(ref, col, row))
                    return errorAtLine(c->line, sheetPath + " c/@r", "bad cell reference '" + ref + "'");
                cell.col = col;
                nextCol = col + 1;
                const std::string t = c->attribute("t");
                const auto* v = c->child("v");
                if (t == "s") {
                    const std::string idx = v ? v->trimmedText() : std::string();
                    char* end = nullptr;
                    const unsigned long k = std::strtoul(idx.c_str(), &end, 10);
                    if (idx.empty() || *end != '\0' || k >= shared.size())
                        return errorAtLine(c->line, cellReference(col, row), "shared string index '" + idx + "' out of range");
                    cell.text = shared[k];
                } else if (t == "inlineStr") {
                    if (const auto* is = c->child("is")) collectText(*is, cell.text);
                } else if (t == "str" || t == "e") {
                    cell.text = v ? v->text : std::string();
                } else if (t == "b") {
                    cell.text = v && v->trimmedText() == "1" ? "TRUE" : "FALSE";
                } else {
                    cell.text = v ? v->trimmedText() : std::string();
                    cell.number = !cell.text.empty();
                }
                if (!cell.text.empty()) gr.cells.push_back(std::move(cell));
            }
            if (!gr.cells.empty()) {
                if (grid.rows.size() >= maxRows)
                    return errorAtLine(r->line, sheetPath, "more than " + std::to_string(maxRows) + " rows");
                grid.rows.push_back(std::move(gr));
            }
        }
        return grid;
    } catch (const Poco::Exception& e) {
        return errorAtOffset(0, "xlsx", "not a readable ZIP/XLSX: " + e.displayText());
    } catch (const std::exception& e) {
        return errorAtOffset(0, "xlsx", std::string("not a readable ZIP/XLSX: ") + e.what());
    }
}

}  // namespace duegate::parsers::invoice
