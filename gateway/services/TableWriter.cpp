#include "gateway/services/TableWriter.h"

#include "gateway/services/Secrets.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace duegate::services {
namespace {

std::string csvCell(std::string s) {
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        s.insert(0, "'");
    if (s.find_first_of(";\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

class CsvWriter final : public TableWriter {
public:
    CsvWriter() { _out = "\xEF\xBB\xBF"; }  // BOM: spreadsheet programs then read UTF-8
    void row(const std::vector<Cell>& cells) override {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) _out += ';';
            if (auto s = std::get_if<std::string>(&cells[i])) _out += csvCell(*s);
            else if (auto n = std::get_if<std::int64_t>(&cells[i])) _out += std::to_string(*n);
            else _out += amountText(std::get<Amount>(cells[i]));
        }
        _out += "\r\n";
    }
    std::string finish() override { return std::move(_out); }
    std::string contentType() const override { return "text/csv; charset=utf-8"; }
    std::string extension() const override { return "csv"; }

private:
    std::string _out;
};

class XlsxWriter final : public TableWriter {
public:
    XlsxWriter(const std::string& sheetName, bool constantMemory) {
        _dir = std::filesystem::temp_directory_path() / ("duegate-xlsx-" + randomHex(8));
        std::filesystem::create_directories(_dir);
        _path = (_dir / "report.xlsx").string();
        _tmp = _dir.string();
        lxw_workbook_options options{};
        options.constant_memory = constantMemory ? LXW_TRUE : LXW_FALSE;
        options.tmpdir = _tmp.data();
        _wb = workbook_new_opt(_path.c_str(), &options);
        if (!_wb) {
            std::error_code ec;
            std::filesystem::remove_all(_dir, ec);
            throw std::runtime_error("xlsx: cannot create the workbook");
        }
        _ws = workbook_add_worksheet(_wb, sheetName.c_str());
        _money = workbook_add_format(_wb);
        format_set_num_format(_money, "#,##0.00");
    }
    ~XlsxWriter() override {
        if (_wb) workbook_close(_wb);
        std::error_code ec;
        std::filesystem::remove_all(_dir, ec);
    }
    void row(const std::vector<Cell>& cells) override {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto col = static_cast<lxw_col_t>(i);
            if (auto s = std::get_if<std::string>(&cells[i])) {
                if (!s->empty()) worksheet_write_string(_ws, _row, col, s->c_str(), nullptr);
            } else if (auto n = std::get_if<std::int64_t>(&cells[i])) {
                worksheet_write_number(_ws, _row, col, static_cast<double>(*n), nullptr);
            } else {
                // A spreadsheet number is a double by its format: the cell shows the amount; the
                // amount itself was computed in minor units and is exact to far beyond any invoice.
                const auto& a = std::get<Amount>(cells[i]);
                worksheet_write_number(_ws, _row, col, std::stod(amountText(a)), _money);
            }
        }
        ++_row;
    }
    std::string finish() override {
        const auto rc = workbook_close(_wb);
        _wb = nullptr;
        if (rc != LXW_NO_ERROR) throw std::runtime_error(std::string("xlsx: ") + lxw_strerror(rc));
        std::ifstream in(_path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    std::string contentType() const override {
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    std::string extension() const override { return "xlsx"; }

private:
    std::filesystem::path _dir;
    std::string _path, _tmp;
    lxw_workbook* _wb = nullptr;
    lxw_worksheet* _ws = nullptr;
    lxw_format* _money = nullptr;
    lxw_row_t _row = 0;
};

}  // namespace

std::string amountText(const Amount& a) {
    const bool negative = a.minor < 0;
    std::uint64_t v = negative ? static_cast<std::uint64_t>(-(a.minor + 1)) + 1 : static_cast<std::uint64_t>(a.minor);
    std::uint64_t scale = 1;
    for (int i = 0; i < a.decimals; ++i) scale *= 10;
    std::string out = std::to_string(v / scale);
    if (a.decimals > 0) {
        std::string frac = std::to_string(v % scale);
        out += "." + std::string(static_cast<std::size_t>(a.decimals) - frac.size(), '0') + frac;
    }
    return negative ? "-" + out : out;
}

std::unique_ptr<TableWriter> makeTableWriter(const std::string& format, const std::string& sheetName,
                                             bool constantMemory) {
    if (format == "csv") return std::make_unique<CsvWriter>();
    if (format == "xlsx") return std::make_unique<XlsxWriter>(sheetName, constantMemory);
    throw std::invalid_argument("format: expected csv or xlsx");
}

}  // namespace duegate::services
