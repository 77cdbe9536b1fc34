#include "parsers/invoice/BulkTemplate.h"

#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"
#include "parsers/invoice/CsvReader.h"
#include "parsers/invoice/XlsxReader.h"
#include "parsers/refs/Ogm.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace duegate::parsers::invoice {
namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Rounds a decimal string to 15 significant digits: XLSX stores doubles as their shortest text
// ("0.30000000000000004"); 15 digits is what Excel itself shows and keeps.
std::string roundTo15Significant(const std::string& text) {
    std::string sign, digits;
    std::size_t dot = std::string::npos;
    for (char c : text) {
        if (c == '-' || c == '+') sign = c == '-' ? "-" : "";
        else if (c == '.') dot = digits.size();
        else if (c >= '0' && c <= '9') digits += c;
        else return text;  // exponent or junk: leave it to the exact parser to refuse
    }
    if (dot == std::string::npos) dot = digits.size();
    std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    if (digits.size() - first <= 15) return text;
    const std::size_t keep = first + 15;
    bool carry = digits[keep] >= '5';
    digits.resize(keep);
    for (std::size_t i = keep; carry && i-- > 0;) {
        if (digits[i] == '9') digits[i] = '0';
        else { ++digits[i]; carry = false; }
    }
    if (carry) { digits.insert(digits.begin(), '1'); ++dot; }
    while (digits.size() < dot) digits += '0';
    std::string out = sign + digits.substr(0, dot);
    if (out.empty() || out == "-") out += "0";
    if (dot < digits.size()) out += "." + digits.substr(dot);
    return out;
}

std::optional<CivilDate> parseTextDate(const std::string& s) {
    if (auto d = CivilDate::parseIso(s)) return d;
    // DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY (Belgian order; never MM/DD).
    int parts[3] = {0, 0, 0};
    int idx = 0, digits = 0;
    char sep = 0;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            parts[idx] = parts[idx] * 10 + (c - '0');
            if (++digits > 4) return std::nullopt;
        } else if ((c == '/' || c == '-' || c == '.') && idx < 2 && digits > 0 && (sep == 0 || sep == c)) {
            sep = c;
            ++idx;
            digits = 0;
        } else {
            return std::nullopt;
        }
    }
    if (idx != 2 || digits != 4) return std::nullopt;
    return CivilDate::fromYmd(parts[2], parts[1], parts[0]);
}

std::optional<CivilDate> parseCellDate(const GridCell& cell, bool date1904) {
    if (cell.number) {
        // Excel serial: days since 1899-12-30 (1900 system, which counts a fictitious 1900-02-29
        // as day 60: serials below 61 are one day off and below 1 meaningless) or 1904-01-01.
        const auto dot = cell.text.find('.');
        const std::string whole = cell.text.substr(0, dot);
        if (whole.empty() || whole.size() > 6 || !std::all_of(whole.begin(), whole.end(), ::isdigit)) return std::nullopt;
        const long serial = std::stol(whole);
        if (date1904) return CivilDate::fromYmd(1904, 1, 1)->plusDays(serial);
        if (serial < 61) return std::nullopt;
        return CivilDate::fromYmd(1899, 12, 30)->plusDays(serial);
    }
    return parseTextDate(cell.text);
}

// "1.234,56", "1,234.56", "1234,56", "€ 1 234,56" -> Decimal text with '.'.
std::optional<std::string> normaliseAmountText(std::string s) {
    std::string t;
    for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ',' || c == '-' || c == '+') t += c;
        else if (c == ' ' || c == '\'' || static_cast<unsigned char>(c) >= 0x80) continue;  // spaces, NBSP, €
        else if (std::isalpha(static_cast<unsigned char>(c))) continue;  // "EUR" prefix or suffix
        else return std::nullopt;
    }
    const auto lastDot = t.rfind('.'), lastComma = t.rfind(',');
    char decimal = 0;
    if (lastDot != std::string::npos && lastComma != std::string::npos) decimal = lastDot > lastComma ? '.' : ',';
    else if (lastComma != std::string::npos) {
        // A single comma followed by exactly three digits is ambiguous; in this template a comma
        // is the Belgian decimal separator, so "1,500" is one and a half.
        decimal = std::count(t.begin(), t.end(), ',') == 1 ? ',' : 0;
    } else if (lastDot != std::string::npos) {
        decimal = std::count(t.begin(), t.end(), '.') == 1 ? '.' : 0;
    }
    std::string out;
    for (char c : t) {
        if (c == decimal) out += '.';
        else if (c == '.' || c == ',') continue;  // grouping
        else out += c;
    }
    if (out.empty()) return std::nullopt;
    return out;
}

bool plausibleEmail(const std::string& s) {
    const auto at = s.find('@');
    return at != std::string::npos && at > 0 && s.find('@', at + 1) == std::string::npos &&
           s.find('.', at) != std::string::npos && s.back() != '.' && s.find(' ') == std::string::npos;
}

Result<BulkSheet> fromGrid(const Grid& grid, std::string source, const BulkLimits& limits) {
    const auto& cols = bulkTemplateColumns();
    BulkSheet sheet;
    sheet.source = std::move(source);
    // The header row: the first row naming invoice_number and debtor_name.
    std::map<std::string, std::size_t> colOf;
    std::size_t headerIndex = grid.rows.size();
    for (std::size_t i = 0; i < grid.rows.size() && i < 50; ++i) {
        std::map<std::string, std::size_t> m;
        for (const auto& c : grid.rows[i].cells) {
            const std::string name = lower(trim(c.text));
            if (std::find(cols.begin(), cols.end(), name) != cols.end()) m.emplace(name, c.col);
        }
        if (m.count("invoice_number") && m.count("debtor_name")) {
            colOf = std::move(m);
            headerIndex = i;
            break;
        }
    }
    if (headerIndex == grid.rows.size())
        return errorAtLine(grid.rows.empty() ? 1 : grid.rows.front().row, "header",
                           "no template header row (expected columns such as invoice_number, debtor_name, amount) in the first 50 rows");
    sheet.headerRow = grid.rows[headerIndex].row;
    for (const char* required : {"invoice_number", "debtor_name", "issue_date", "amount", "language"})
        if (!colOf.count(required))
            return errorAtLine(sheet.headerRow, required, "template column missing from the header row");

    const bool xlsx = sheet.source == "xlsx";
    std::size_t dataRows = 0;
    for (std::size_t i = headerIndex + 1; i < grid.rows.size(); ++i) {
        const GridRow& gr = grid.rows[i];
        std::map<std::string, const GridCell*> cells;
        for (const auto& c : gr.cells)
            for (const auto& [name, col] : colOf)
                if (c.col == col && !trim(c.text).empty()) cells[name] = &c;
        if (cells.empty()) continue;  // a blank row
        if (++dataRows > limits.maxRows)
            return errorAtLine(gr.row, "rows", "more than " + std::to_string(limits.maxRows) + " invoice rows");
        BulkRow row;
        row.row = gr.row;
        std::vector<CellError> errs;
        auto text = [&](const char* name) { return cells.count(name) ? trim(cells[name]->text) : std::string(); };
        auto err = [&](const char* name, std::string message) {
            errs.push_back({gr.row, name, xlsx ? cellReference(colOf[name], gr.row) : std::string(), std::move(message)});
        };
        row.creditorReference = text("creditor_reference");
        row.debtorName = text("debtor_name");
        if (row.debtorName.empty()) err("debtor_name", "required");
        row.email = text("debtor_email");
        if (!row.email.empty() && !plausibleEmail(row.email)) err("debtor_email", "not an e-mail address: '" + row.email + "'");
        row.phone = text("debtor_phone");
        if (!row.phone.empty() && !std::all_of(row.phone.begin(), row.phone.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ' ' || c == '(' || c == ')' || c == '-' || c == '.' || c == '/';
            }))
            err("debtor_phone", "not a phone number: '" + row.phone + "'");
        row.street = text("debtor_street");
        row.postcode = text("debtor_postcode");
        row.city = text("debtor_city");
        row.country = upper(text("debtor_country"));
        if (!row.country.empty() && (row.country.size() != 2 || !std::all_of(row.country.begin(), row.country.end(), ::isupper)))
            err("debtor_country", "not an ISO 3166 country code: '" + row.country + "'");
        row.language = upper(text("language"));
        if (row.language != "NL" && row.language != "FR" && row.language != "EN" && row.language != "DE")
            err("language", row.language.empty() ? "required (NL, FR, EN or DE)" : "not NL, FR, EN or DE: '" + row.language + "'");
        std::string vat;
        for (char c : upper(text("vat_number")))
            if (c != ' ' && c != '.' && c != '-') vat += c;
        row.vatNumber = vat;
        if (!vat.empty() && (vat.size() < 4 || !std::isalpha(static_cast<unsigned char>(vat[0])) || !std::isalpha(static_cast<unsigned char>(vat[1]))))
            err("vat_number", "not a VAT number (country prefix and digits): '" + vat + "'");
        row.invoiceNumber = text("invoice_number");
        if (row.invoiceNumber.empty()) err("invoice_number", "required");
        if (cells.count("issue_date")) {
            if (auto d = parseCellDate(*cells["issue_date"], grid.date1904)) row.issueDate = *d;
            else err("issue_date", "not a date (YYYY-MM-DD or DD/MM/YYYY): '" + text("issue_date") + "'");
        } else {
            err("issue_date", "required");
        }
        if (cells.count("due_date")) {
            if (auto d = parseCellDate(*cells["due_date"], grid.date1904)) {
                row.dueDate = *d;
                if (cells.count("issue_date") && *d < row.issueDate) err("due_date", "before the issue date");
            } else {
                err("due_date", "not a date (YYYY-MM-DD or DD/MM/YYYY): '" + text("due_date") + "'");
            }
        }
        const std::string cur = upper(text("currency"));
        if (!cur.empty()) row.currency = cur;
        const auto exponent = currencyExponent(row.currency);
        if (!exponent) err("currency", "unknown currency '" + row.currency + "'");
        if (cells.count("amount") && exponent) {
            const GridCell& a = *cells["amount"];
            std::optional<std::string> t = a.number ? std::optional<std::string>(roundTo15Significant(a.text)) : normaliseAmountText(a.text);
            std::optional<std::int64_t> minor = t ? parseMinorUnits(*t, *exponent) : std::nullopt;
            if (!minor) err("amount", "not an amount in " + row.currency + ": '" + text("amount") + "'");
            else if (*minor <= 0) err("amount", "must be greater than zero");
            else row.amountMinor = *minor;
        } else if (!cells.count("amount")) {
            err("amount", "required");
        }
        if (const std::string o = text("ogm"); !o.empty()) {
            row.ogm = refs::parseOgm(o);
            if (!row.ogm) err("ogm", "not a valid structured communication: '" + o + "'");
        }
        if (errs.empty()) sheet.rows.push_back(std::move(row));
        else sheet.errors.insert(sheet.errors.end(), errs.begin(), errs.end());
    }
    return sheet;
}

}  // namespace

const std::vector<std::string>& bulkTemplateColumns() {
    static const std::vector<std::string> cols = {
        "creditor_reference", "debtor_name", "debtor_email", "debtor_phone", "debtor_street", "debtor_postcode",
        "debtor_city", "debtor_country", "language", "vat_number", "invoice_number", "issue_date", "due_date",
        "amount", "currency", "ogm"};
    return cols;
}

Result<BulkSheet> parseBulkCsv(std::string_view bytes, const BulkLimits& limits) {
    if (bytes.size() > limits.maxBytes)
        return errorAtOffset(limits.maxBytes, "csv", "larger than " + std::to_string(limits.maxBytes) + " bytes");
    auto grid = readCsv(bytes, limits.maxRows + 50, limits.maxCellBytes);
    if (!grid) return grid.error();
    return fromGrid(*grid, "csv", limits);
}

Result<BulkSheet> parseBulkXlsx(std::string_view bytes, const BulkLimits& limits) {
    if (bytes.size() > limits.maxBytes)
        return errorAtOffset(limits.maxBytes, "xlsx", "larger than " + std::to_string(limits.maxBytes) + " bytes");
    auto grid = readXlsx(bytes, limits.maxUncompressedBytes, limits.maxRows + 50);
    if (!grid) return grid.error();
    return fromGrid(*grid, "xlsx", limits);
}

}  // namespace duegate::parsers::invoice
