#include "parsers/bank/Mt940Parser.h"

#include "parsers/bank/BankCurrency.h"
#include "parsers/bank/Charset.h"
#include "parsers/bank/LineFormatDriver.h"
#include "parsers/bank/LineSource.h"
#include "parsers/bank/References.h"
#include "parsers/bank/RepeatedWarning.h"
#include "parsers/bank/StatementJson.h"
#include "parsers/common/Decimal.h"
#include "parsers/common/Utf8.h"
#include "parsers/refs/Iban.h"

#include <algorithm>
#include <cstdint>
#include <array>
#include <set>
#include <string>
#include <vector>

namespace duegate::parsers::bank {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isAlpha(char c) { return isUpper(c) || (c >= 'a' && c <= 'z'); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// ":25:" -> "25", ":28C:" -> "28C", ":NS:" -> "NS"; empty when the line does not start a field.
// SWIFT tags are two digits and an optional option letter; the one letter tag banks use is the
// German non-SWIFT ":NS:". Any other ":XX:" at the start of a line is text that a wrapped :86:
// happens to continue with (":KO:NR:4011..."), not a new field.
std::string_view tagOf(std::string_view line) {
    if (line.size() < 4 || line[0] != ':') return {};
    std::size_t i = 1;
    while (i < line.size() && i <= 4 && (isDigit(line[i]) || isUpper(line[i]))) ++i;
    if (i < 3 || i >= line.size() || line[i] != ':') return {};
    const auto tag = line.substr(1, i - 1);
    if (tag == "NS") return tag;
    if (!(isDigit(tag[0]) && isDigit(tag[1]))) return {};
    if (tag.size() == 3 && !isUpper(tag[2])) return {};
    return tag;
}

// ISO 9362: 4 letters (bank), 2 letters (country), 2 letters/digits (location), optionally 3
// letters/digits (branch).
bool isBicShaped(std::string_view s) {
    if (s.size() != 8 && s.size() != 11) return false;
    for (std::size_t k = 0; k < s.size(); ++k) {
        const char c = s[k];
        if (k < 6 ? !isUpper(c) : !(isUpper(c) || isDigit(c))) return false;
    }
    return true;
}

// IBAN-shaped (test and masked numbers fail the check but are still the counterparty's account).
bool looksLikeIban(std::string_view s) {
    if (s.size() < 15 || s.size() > 34 || !isUpper(s[0]) || !isUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3])) return false;
    for (char c : s)
        if (!isDigit(c) && !isUpper(c)) return false;
    return true;
}

// German banks compute interest 30/360 and write value dates of 29 and 30 February in years that
// have no such day ("160230"). Like the widely used Python mt940 library, such a day is read as
// the last day of that February (the caller warns and quotes the text). Only February: 31 April
// or month 13 stay errors.
std::optional<CivilDate> lastOfFebruary(int year, int month, int day) {
    if (month != 2 || (day != 29 && day != 30)) return std::nullopt;
    return CivilDate::fromYmd(year, 2, CivilDate::daysInMonth(year, 2));
}

// YYMMDD as CivilDate::parseYymmdd, plus the 30/360 February days; `february30` says when the
// text named a day that February does not have.
std::optional<CivilDate> swiftDate(std::string_view s, bool& february30) {
    february30 = false;
    if (auto d = CivilDate::parseYymmdd(s)) return d;
    if (s.size() != 6 || !std::all_of(s.begin(), s.end(), isDigit)) return std::nullopt;
    const int yy = (s[0] - '0') * 10 + (s[1] - '0');
    auto d = lastOfFebruary(yy < 70 ? 2000 + yy : 1900 + yy, (s[2] - '0') * 10 + (s[3] - '0'), (s[4] - '0') * 10 + (s[5] - '0'));
    february30 = d.has_value();
    return d;
}

std::string februaryNote(std::string_view what, std::string_view text, int day, const CivilDate& read) {
    return std::string(what) + " " + std::string(text) + " is " + std::to_string(day) +
           " February (a 30/360 interest date): read as " + read.iso();
}

// One field (tag + its lines), owning its text so it survives a streaming buffer refill; the
// line strings are reused from field to field.
struct Field {
    std::string tag;
    std::vector<std::string> lines;
    std::size_t n = 0;
    std::size_t line = 0, offset = 0;
    void add(std::string_view l) {
        if (n < lines.size()) lines[n].assign(l);
        else lines.emplace_back(l);
        ++n;
    }
};

// "1000,00" / "6800," / ",5" -> minor units.
std::optional<std::int64_t> swiftAmount(std::string_view s, int exponent) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    std::string d(s);
    if (std::count(d.begin(), d.end(), ',') != 1) return std::nullopt;
    std::replace(d.begin(), d.end(), ',', '.');
    if (d.back() == '.') d.pop_back();
    if (d.front() == '.') d.insert(d.begin(), '0');
    return parseMinorUnits(d, exponent);
}

// The /KEY/ names of structured :86: fields. Most tokens are values (digits, spaces, lower case):
// rejected by the shape test before any comparison.
enum Key { kEREF, kKREF, kMARF, kCSID, kCNTP, kREMI, kPURP, kULTC, kULTD, kULTB, kBENM, kORDP, kNAME, kADDR, kIBAN,
           kBIC, kTRTP, kISDT, kRTRN, kSVCL, kPREF, kBUSP, kFX, kEXCH, kCHGS, kOCMT, kID, kATOS, kNRTX, kACCW,
           kIREF, kCREF, kORDR, kBENF, kCOAM, kRETR, kCDTRREFTP, kCDTRREF, kNotAKey };

Key keyOf(std::string_view t) {
    if (t.size() < 2 || t.size() > 9) return kNotAKey;
    for (char c : t)
        if (!isUpper(c)) return kNotAKey;
    static constexpr std::string_view kKeys[] = {
        "EREF", "KREF", "MARF", "CSID", "CNTP", "REMI", "PURP", "ULTC", "ULTD", "ULTB", "BENM", "ORDP", "NAME",
        "ADDR", "IBAN", "BIC", "TRTP", "ISDT", "RTRN", "SVCL", "PREF", "BUSP", "FX", "EXCH", "CHGS", "OCMT",
        "ID", "ATOS", "NRTX", "ACCW", "IREF", "CREF", "ORDR", "BENF", "COAM", "RETR", "CDTRREFTP", "CDTRREF"};
    // Compare as packed integers: this runs for every upper-case token of every :86: field.
    constexpr auto pack = [](std::string_view k) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < k.size() && i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(k[i]);
        return v ^ (static_cast<std::uint64_t>(k.size()) << 56);
    };
    static constexpr auto kPacked = [&] {
        std::array<std::uint64_t, std::size(kKeys)> a{};
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = pack(kKeys[i]);
        return a;
    }();
    const std::uint64_t pt = pack(t);
    for (std::size_t i = 0; i < kPacked.size(); ++i)
        if (kPacked[i] == pt && kKeys[i] == t) return static_cast<Key>(i);
    return kNotAKey;
}

Charset mt940Charset(std::string_view sample) {
    Charset cs = detectCharset(sample);
    if (cs == Charset::Latin1) {
        const auto p = sample.find(":60F:");
        for (const char* cur : {"PLN", "HUF", "CZK"})
            if (p != std::string_view::npos && p + 15 <= sample.size() && sample.substr(p + 12, 3) == cur) cs = Charset::Cp852;
    }
    return cs;
}

class Mt940Reader {
public:
    // callbacks == nullptr: keep everything in file() (whole-buffer use).
    Mt940Reader(const Limits& limits, Charset charset, const StatementCallbacks* callbacks)
        : _limits(limits), _charset(charset), _cb(callbacks) {
        _file.format = "mt940";
        _file.version = "MT940";
    }

    std::optional<Error> line(std::string_view line, std::size_t lineNo, std::size_t start) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (_charset == Charset::Ascii) {  // streaming: the first 1 MiB was ASCII
            _charset = refineCharset(_charset, line);
            if (_charset == Charset::Latin1 && !_file.statements.empty() &&
                (stmt().currency == "PLN" || stmt().currency == "HUF" || stmt().currency == "CZK"))
                _charset = Charset::Cp852;
        }
        // SOH/ETX framing and SWIFT block envelopes carry no statement data.
        while (!line.empty() && (line.front() == '\x01' || line.front() == '\x03')) line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\x01' || line.back() == '\x03')) line.remove_suffix(1);
        if (!line.empty() && line[0] == '{') {
            if (const auto b4 = line.find("{4:"); b4 != std::string_view::npos) line = line.substr(b4 + 3);
        }
        // A line starting with '-' ends the message ("-", "-}", ING/Van Lanschot "-XXX") once the
        // statement has its closing balance or no field is open; inside an entry's field it is
        // text (a wrapped "/MARF/MND" + "-" + "EV01...", "- betaald via web").
        if (!line.empty() && line[0] == '-' && (!_haveField || closingSeen())) line = "-";
        if (trim(line).empty()) return std::nullopt;
        const auto tag = tagOf(line);
        if (!tag.empty() || (line == "-" && (!_haveField || closingSeen()))) {
            if (_haveField) {
                _haveField = false;
                if (auto e = onField(_field)) return e;
            }
            if (line == "-") return closeStatement(lineNo, start);
            _field.tag.assign(tag);
            _field.n = 0;
            _field.add(line.substr(tag.size() + 2));
            _field.line = lineNo;
            _field.offset = start;
            _haveField = true;
            _fieldBytes = line.size();
        } else if (_haveField) {
            _fieldBytes += line.size();
            if (_fieldBytes > _limits.maxFieldBytes) return errorAt(lineNo, start, ":" + _field.tag + ":", "field longer than the limit");
            if (_field.n >= 1000) return errorAt(lineNo, start, ":" + _field.tag + ":", "too many lines in one field");
            _field.add(line);
        } else if (_open) {
            return errorAt(lineNo, start, "line", "text outside any field inside a statement");
        }
        // else: header lines before the first :20: ("ABNANL2A", "940", ":940:", ...) are skipped.
        return std::nullopt;
    }

    std::optional<Error> finish(const LineEnd& end) {
        if (_haveField) {
            _haveField = false;
            if (auto e = onField(_field)) return e;
        }
        if (auto e = closeStatement(end.lines + 1, end.bytes)) return e;
        if (_statementCount == 0) return errorAtOffset(0, ":20:", "no MT940/MT942 statement in the input");
        for (const auto& t : _skippedTags) _file.warnings.push_back("skipped tag :" + t + ":");
        _februaryWarnings.finish(_file.warnings);
        _file.charset = charsetName(_charset);
        return std::nullopt;
    }

    StatementFile& file() { return _file; }
    std::size_t statementCount() const { return _statementCount; }
    std::size_t entryCount() const { return _entryCount; }

private:
    std::string text(std::string_view s) const { return toUtf8(s, _charset); }

    Error err(const Field& f, std::string message) const { return errorAt(f.line, f.offset, ":" + f.tag + ":", std::move(message)); }

    Statement& stmt() { return _file.statements.back(); }

    // The open statement's closing balance is read, or is the field being gathered.
    bool closingSeen() {
        if (_haveField && _field.tag.starts_with("62")) return true;
        return _open && !_file.statements.empty() && stmt().closingBalance.has_value();
    }

    // "60F" -> one integer, so fields dispatch with a switch instead of string comparisons.
    static constexpr unsigned tagCode(std::string_view t) {
        if (t.size() < 2 || t.size() > 3) return 0;
        return (static_cast<unsigned>(static_cast<unsigned char>(t[0])) << 16) |
               (static_cast<unsigned>(static_cast<unsigned char>(t[1])) << 8) |
               (t.size() == 3 ? static_cast<unsigned char>(t[2]) : 0u);
    }

    std::optional<Error> onField(const Field& f) {
        const unsigned code = tagCode(f.tag);
        if (code == tagCode("20")) return openStatement(f);
        if (!_open) {
            if (f.tag == "940" || f.tag == "942") return std::nullopt;
            if (_statementCount > 0) return err(f, "field after the end of a statement ('-' or :62F:) and before the next :20:");
            return err(f, "field before the first :20: (statement reference)");
        }
        const std::string_view v = f.lines[0];
        switch (code) {
            case tagCode("61"): return entry(f);
            case tagCode("86"): return info(f);
            case tagCode("25"): return account(f, trim(v));
            case tagCode("28C"):
            case tagCode("28"): {
                const auto s = trim(v);
                const auto slash = s.find('/');
                stmt().number = std::string(s.substr(0, slash));
                if (slash != std::string_view::npos) stmt().sequence = std::string(s.substr(slash + 1));
                return std::nullopt;
            }
            case tagCode("60F"):
            case tagCode("60M"): return balance(f, v, true);
            case tagCode("62F"):
            case tagCode("62M"): return balance(f, v, false);
            case tagCode("90D"): return floorTotals(f, v, true);
            case tagCode("90C"): return floorTotals(f, v, false);
            case tagCode("34F"):
                // Floor limit "EURD0,00": gives an interim report its currency.
                _interim = true;
                _lastWas61 = false;
                if (v.size() >= 3) return currency(f, v.substr(0, 3));
                return err(f, "floor limit without currency");
            case tagCode("13D"):
            case tagCode("13"): _interim = true; _lastWas61 = false; return std::nullopt;
            case tagCode("21"):
            case tagCode("64"):
            case tagCode("65"): _lastWas61 = false; return std::nullopt;
            default: break;
        }
        if (_skippedTags.size() < 100) _skippedTags.insert(f.tag);
        return std::nullopt;
    }

    std::optional<Error> openStatement(const Field& f) {
        if (auto e = closeStatement(f.line, f.offset)) return e;
        if (_statementCount >= _limits.maxStatements) return err(f, "too many statements");
        _file.statements.emplace_back();
        ++_statementCount;
        _stmtTotal = _debitSum = _creditSum = 0;
        _open = true;
        _openLine = f.line;
        _openOffset = f.offset;
        _lastWas61 = false;
        _has90D = _has90C = false;
        _interim = false;
        return std::nullopt;
    }

    std::optional<Error> closeStatement(std::size_t line, std::size_t offset) {
        if (!_open) return std::nullopt;
        _open = false;
        if (auto e = checkClosed(line, offset)) return e;
        if (_cb) {
            flushEntries();
            Statement done = std::move(_file.statements.back());
            _file.statements.pop_back();
            if (_cb->onStatement) _cb->onStatement(std::move(done));
        }
        return std::nullopt;
    }

    std::optional<Error> checkClosed(std::size_t line, std::size_t offset) {
        Statement& s = stmt();
        if (_interim || (!s.openingBalance && !s.closingBalance)) {
            s.kind = "interim";
            _file.version = "MT942";
            if (_has90D && _debitSum != _sum90D)
                return errorAt(_line90D, _off90D, ":90D:", "debit total " + formatMinorUnits(_sum90D, s.exponent) +
                                                              " but the entries add up to " + formatMinorUnits(_debitSum, s.exponent));
            if (_has90C && _creditSum != _sum90C)
                return errorAt(_line90C, _off90C, ":90C:", "credit total " + formatMinorUnits(_sum90C, s.exponent) +
                                                              " but the entries add up to " + formatMinorUnits(_creditSum, s.exponent));
            return std::nullopt;
        }
        if (!s.openingBalance) return errorAt(_openLine, _openOffset, ":60F:", "statement without opening balance");
        if (!s.closingBalance) return errorAt(line, offset, ":62F:", "statement without closing balance (truncated?)");
        return std::nullopt;
    }

    // Streaming: entries before the one being started are complete (their :86: came before).
    void flushEntries() {
        if (!_cb) return;
        auto& entries = stmt().entries;
        for (auto& e : entries)
            if (_cb->onEntry) _cb->onEntry(stmt(), std::move(e));
        entries.clear();
    }

    std::optional<Error> account(const Field& f, std::string_view v) {
        Account& a = stmt().account;
        std::string_view id = v, cur;
        if (const auto sp = v.rfind(' '); sp != std::string_view::npos) {
            const auto tail = trim(v.substr(sp));
            if (tail.size() == 3 && isUpper(tail[0]) && isUpper(tail[1]) && isUpper(tail[2])) {
                cur = tail;
                id = trim(v.substr(0, sp));
            }
        }
        // ING writes the currency right after the IBAN: "NL69INGB0123456789EUR".
        if (cur.empty() && id.size() > 3 && !refs::normalizeIban(id)) {
            const auto tail = id.substr(id.size() - 3), head = id.substr(0, id.size() - 3);
            if (isUpper(tail[0]) && isUpper(tail[1]) && isUpper(tail[2]) && bankCurrencyExponent(tail) && looksLikeIban(head)) {
                cur = tail;
                id = head;
            }
        }
        if (auto iban = refs::normalizeIban(id)) {
            a.iban = *iban;
        } else if (const auto slash = id.find('/'); slash != std::string_view::npos) {
            const auto left = id.substr(0, slash);
            const bool bicLike = (left.size() == 8 || left.size() == 11) && isAlpha(left[0]) && isAlpha(left[4]) && isAlpha(left[5]);
            if (bicLike) a.bic = std::string(left);
            else a.number = std::string(left) + "/";
            const auto right = id.substr(slash + 1);
            if (auto iban = refs::normalizeIban(right)) a.iban = *iban;
            else a.number += std::string(right);
        } else {
            a.number = text(id);
            if (looksLikeIban(id)) _ibanWarnings.add(_file.warnings, f.line, id);
        }
        if (!cur.empty()) a.currency = std::string(cur);
        return std::nullopt;
    }

    std::optional<Error> currency(const Field& f, std::string_view cur) {
        const auto e = bankCurrencyExponent(cur);
        if (!e) return err(f, "unknown currency '" + std::string(cur) + "'");
        Statement& s = stmt();
        if (!s.currency.empty() && s.currency != cur)
            return err(f, "currency " + std::string(cur) + " differs from the statement's " + s.currency);
        s.currency = std::string(cur);
        if (s.account.currency.empty()) s.account.currency = s.currency;
        s.exponent = *e;
        return std::nullopt;
    }

    // [C|D] YYMMDD CUR amount
    std::optional<Error> balance(const Field& f, std::string_view v, bool opening) {
        _lastWas61 = false;
        v = trim(v);
        if (v.size() < 12) return err(f, "balance too short");
        const char mark = v[0];
        if (mark != 'C' && mark != 'D') return err(f, std::string("balance mark must be C or D, got '") + mark + "'");
        bool february30 = false;
        const auto d = swiftDate(v.substr(1, 6), february30);
        if (!d) return err(f, "not a valid date YYMMDD: '" + std::string(v.substr(1, 6)) + "'");
        if (february30)
            _februaryWarnings.add(_file.warnings, f.line,
                                  ":" + f.tag + ": " + februaryNote("date", v.substr(1, 6), (v[5] - '0') * 10 + (v[6] - '0'), *d));
        if (auto e = currency(f, v.substr(7, 3))) return e;
        Statement& s = stmt();
        auto amt = swiftAmount(v.substr(10), s.exponent);
        if (!amt) return err(f, "not an amount in " + s.currency + ": '" + std::string(v.substr(10)) + "'");
        if (mark == 'D') *amt = -*amt;
        if (opening) {
            if (s.openingBalance) return err(f, "second opening balance in one statement");
            s.openingBalance = amt;
            s.openingDate = d;
        } else {
            if (s.closingBalance) return err(f, "second closing balance in one statement");
            if (!s.openingBalance) return err(f, "closing balance without an opening balance (:60F:)");
            s.closingBalance = amt;
            s.closingDate = d;
            if (auto e = checkBalanceTotal(s, _stmtTotal, f.line, f.offset, ":" + f.tag + ":")) return e;
        }
        return std::nullopt;
    }

    std::optional<Error> floorTotals(const Field& f, std::string_view v, bool debit) {
        _lastWas61 = false;
        v = trim(v);
        std::size_t i = 0;
        while (i < v.size() && isDigit(v[i])) ++i;
        if (i == 0 || i + 3 > v.size()) return err(f, "expected count, currency and amount");
        if (auto e = currency(f, v.substr(i, 3))) return e;
        auto amt = swiftAmount(v.substr(i + 3), stmt().exponent);
        if (!amt) return err(f, "not an amount: '" + std::string(v.substr(i + 3)) + "'");
        _interim = true;
        if (debit) { _has90D = true; _sum90D = *amt; _line90D = f.line; _off90D = f.offset; }
        else { _has90C = true; _sum90C = *amt; _line90C = f.line; _off90C = f.offset; }
        return std::nullopt;
    }

    std::optional<Error> entry(const Field& f) {
        Statement& s = stmt();
        if (++_entryCount > _limits.maxEntries) return err(f, "too many entries");
        const std::string_view v = f.lines[0];
        Entry e;
        e.line = f.line;
        if (v.size() < 6) return err(f, "entry too short");
        bool february30 = false;
        e.valueDate = swiftDate(v.substr(0, 6), february30);
        if (!e.valueDate) return errorAt(f.line, f.offset, ":61: value date", "not a valid date YYMMDD: '" + std::string(v.substr(0, 6)) + "'");
        if (february30) {
            e.warnings.push_back(februaryNote("value date", v.substr(0, 6), (v[4] - '0') * 10 + (v[5] - '0'), *e.valueDate));
            _februaryWarnings.add(_file.warnings, f.line, ":61: " + e.warnings.back());
        }
        std::size_t i = 6;
        // Some banks (Citi, ASN) write blanks where the optional entry date goes.
        while (i < v.size() && v[i] == ' ') ++i;
        if (v.size() >= i + 4 && isDigit(v[i]) && isDigit(v[i + 1]) && isDigit(v[i + 2]) && isDigit(v[i + 3])) {
            const int month = (v[i] - '0') * 10 + (v[i + 1] - '0');
            const int day = (v[i + 2] - '0') * 10 + (v[i + 3] - '0');
            int year = e.valueDate->year();
            // The entry date has no year: take the one closest to the value date.
            if (month - e.valueDate->month() > 6) --year;
            else if (e.valueDate->month() - month > 6) ++year;
            e.bookingDate = CivilDate::fromYmd(year, month, day);
            if (!e.bookingDate && (e.bookingDate = lastOfFebruary(year, month, day))) {
                e.warnings.push_back(februaryNote("entry date", v.substr(i, 4), day, *e.bookingDate));
                _februaryWarnings.add(_file.warnings, f.line, ":61: " + e.warnings.back());
            }
            if (!e.bookingDate) return errorAt(f.line, f.offset, ":61: entry date", "not a valid date MMDD: '" + std::string(v.substr(i, 4)) + "'");
            i += 4;
        }
        bool debit;
        if (v.substr(i).starts_with("RC")) { e.reversal = true; debit = true; i += 2; }
        else if (v.substr(i).starts_with("RD")) { e.reversal = true; debit = false; i += 2; }
        else if (i < v.size() && (v[i] == 'C' || v[i] == 'D')) { debit = v[i] == 'D'; ++i; }
        else return errorAt(f.line, f.offset, ":61: mark", "after the value date (YYMMDD) and the optional entry date (MMDD), the debit/credit mark must be C, D, RC or RD");
        if (i < v.size() && isAlpha(v[i])) e.codes.emplace_back("funds_code", std::string(1, v[i++]));
        const std::size_t amtStart = i;
        while (i < v.size() && (isDigit(v[i]) || v[i] == ',') && i - amtStart < 15) ++i;
        if (s.currency.empty()) return err(f, "entry before the opening balance gives the currency");
        auto amt = swiftAmount(v.substr(amtStart, i - amtStart), s.exponent);
        if (!amt) return errorAt(f.line, f.offset, ":61: amount", "not an amount in " + s.currency + ": '" + std::string(v.substr(amtStart, i - amtStart)) + "'");
        e.amount = debit ? -*amt : *amt;
        e.currency = s.currency;
        e.exponent = s.exponent;
        // A blank between amount and transaction type is not SWIFT, but German banks write it
        // ("C50,00 NTRFNONREF"); skipped, so the type is not read as " NTR".
        while (i < v.size() && v[i] == ' ') ++i;
        if (i + 4 > v.size()) return errorAt(f.line, f.offset, ":61: transaction type", "missing transaction type");
        e.codes.emplace_back("transaction_type", std::string(trim(v.substr(i, 4))));  // Triodos writes "NET "
        i += 4;
        auto refs = v.substr(i);
        const auto dbl = refs.find("//");
        const auto customer = trim(refs.substr(0, dbl));
        if (!customer.empty()) e.codes.emplace_back("customer_reference", text(customer));
        if (dbl != std::string_view::npos) e.bankReference = text(trim(refs.substr(dbl + 2)));
        for (std::size_t k = 1; k < f.n; ++k) {
            const auto extra = trim(f.lines[k]);
            if (auto iban = refs::normalizeIban(extra); iban && e.counterparty.iban.empty()) e.counterparty.iban = *iban;
            else if (looksLikeIban(extra) && e.counterparty.account.empty()) e.counterparty.account = std::string(extra);
            else {
                if (!e.information.empty()) e.information += ' ';
                e.information += text(extra);
            }
        }
        const std::int64_t a = e.amount;
        if (__builtin_add_overflow(_stmtTotal, a, &_stmtTotal) ||
            __builtin_add_overflow(a < 0 ? _debitSum : _creditSum, a < 0 ? -a : a, a < 0 ? &_debitSum : &_creditSum))
            return err(f, "entries overflow the amount range");
        flushEntries();
        s.entries.push_back(std::move(e));
        _lastWas61 = true;
        return std::nullopt;
    }

    std::optional<Error> info(const Field& f) {
        std::string joined;
        for (std::size_t k = 0; k < f.n; ++k) joined.append(f.lines[k]);
        if (!_lastWas61 || stmt().entries.empty()) {
            stmt().messages.push_back(text(trim(joined)));
            return std::nullopt;
        }
        _lastWas61 = false;
        Entry& e = stmt().entries.back();
        const std::string_view j = joined;
        if (j.size() >= 4 && isDigit(j[0]) && isDigit(j[1]) && isDigit(j[2]) && (j[3] == '?' || j[3] == '>')) subfields(e, j);
        else if (j.size() > 3 && j[0] == '/' && isUpper(j[1])) slashKeys(e, j);
        else freeText(e, f);
        if (e.reference.kind == Reference::Kind::None) e.reference = findReferenceInText(e.remittance);
        if (e.reference.kind == Reference::Kind::None) e.reference = findReferenceInText(e.endToEndId);
        return std::nullopt;
    }

    // Free text: a line that fills the 65-character SWIFT width, or the 35 characters of a SEPA
    // remittance line, is a wrap and is joined as is; a shorter one was broken on purpose and is
    // joined with a blank. ABN AMRO's labelled layout ("SEPA OVERBOEKING  IBAN: ...  BIC: ...
    // NAAM: ...  BETALINGSKENM.: ...") gives the parties.
    void freeText(Entry& e, const Field& f) {
        std::string t;
        for (std::size_t k = 0; k < f.n; ++k) {
            const std::string& line = f.lines[k];
            if (k > 0 && !t.empty() && t.back() != ' ' && !line.empty() && line.front() != ' ') {
                const std::size_t width = characters(f.lines[k - 1]);
                if (width != 35 && width < 65) t += ' ';
            }
            t.append(line);
        }
        if (!labelledFields(e, t)) e.remittance = text(trim(t));
    }

    std::size_t characters(std::string_view s) const { return _charset == Charset::Utf8 ? utf8Length(s) : s.size(); }

    // ABN AMRO: "LABEL: value" pairs in columns. False when the text has none of the labels.
    bool labelledFields(Entry& e, std::string_view t) {
        static constexpr std::array<std::string_view, 9> kLabels{"IBAN: ", "BIC: ", "NAAM: ", "BETALINGSKENM.: ", "OMSCHRIJVING: ",
                                                                 "KENMERK: ", "MACHTIGING: ", "INCASSANT: ", "ID DEBITEUR: "};
        std::vector<std::pair<std::size_t, std::size_t>> hits;  // position, label index
        for (std::size_t l = 0; l < kLabels.size(); ++l)
            for (auto p = t.find(kLabels[l]); p != std::string_view::npos; p = t.find(kLabels[l], p + 1))
                if (p == 0 || t[p - 1] == ' ') hits.emplace_back(p, l);
        bool party = false;
        for (const auto& h : hits) party = party || h.second == 0 || h.second == 2;
        if (!party) return false;
        std::sort(hits.begin(), hits.end());
        if (const auto lead = trim(t.substr(0, hits.front().first)); !lead.empty()) e.codes.emplace_back("transaction_type_text", text(lead));
        for (std::size_t h = 0; h < hits.size(); ++h) {
            const auto from = hits[h].first + kLabels[hits[h].second].size();
            const auto to = h + 1 < hits.size() ? hits[h + 1].first : t.size();
            if (to < from) continue;
            const std::string v = text(trim(t.substr(from, to - from)));
            switch (hits[h].second) {
                case 0:
                    if (auto iban = refs::normalizeIban(v)) e.counterparty.iban = *iban;
                    else e.counterparty.account = v;
                    break;
                case 1: e.counterparty.bic = v; break;
                case 2: e.counterparty.name = v; break;
                case 3: classifyStructuredReference(v, e.reference); break;
                case 4: e.remittance = v; break;
                case 5: if (v != "NOTPROVIDED") e.endToEndId = v; break;
                case 6: e.codes.emplace_back("mandate_reference", v); break;
                case 7: e.codes.emplace_back("creditor_id", v); break;
                case 8: e.codes.emplace_back("debtor_id", v); break;
                default: break;
            }
        }
        return true;
    }

    // German "GVC?00text?20..." (and Triodos "000>20...") subfields.
    void subfields(Entry& e, std::string_view j) {
        const char sep = j[3];
        e.codes.emplace_back("gvc", std::string(j.substr(0, 3)));
        std::string purpose, name;
        std::size_t i = 3;
        while (i < j.size()) {
            const std::size_t next0 = j.find(sep, i + 1);
            if (i + 3 > j.size() || !isDigit(j[i + 1]) || !isDigit(j[i + 2])) { i = next0 == std::string_view::npos ? j.size() : next0; continue; }
            const std::string_view code = j.substr(i + 1, 2);
            // A separator not followed by two digits belongs to the text.
            std::size_t end = i + 3;
            while (true) {
                end = j.find(sep, end);
                if (end == std::string_view::npos) { end = j.size(); break; }
                if (end + 2 < j.size() + 0 && isDigit(j[end + 1]) && isDigit(j[end + 2])) break;
                ++end;
            }
            const std::string_view val = j.substr(i + 3, end - i - 3);
            const int n = (code[0] - '0') * 10 + (code[1] - '0');
            if (sep == '>' && (n == 20 || n == 21 || n == 31)) {
                // Triodos: >20 the counterparty's BIC, >21 its IBAN (else text), >31 the own account.
                if (n == 20 && isBicShaped(trim(val))) e.counterparty.bic = std::string(trim(val));
                else if (n == 21 && refs::normalizeIban(trim(val))) e.counterparty.iban = *refs::normalizeIban(trim(val));
                else if (n == 21 && looksLikeIban(trim(val))) e.counterparty.account = std::string(trim(val));
                else if (n != 31) purpose.append(val);
            } else if (n == 0) e.codes.emplace_back("posting_text", text(trim(val)));
            else if ((n >= 20 && n <= 29) || (n >= 60 && n <= 63)) purpose.append(val);
            else if (n == 30) {
                // ?30 holds the BIC or, for domestic German payments, the bank code (BLZ).
                if (isBicShaped(trim(val))) e.counterparty.bic = std::string(trim(val));
                else if (!trim(val).empty()) e.codes.emplace_back("bank_code", text(trim(val)));
            }
            else if (n == 31) {
                if (auto iban = refs::normalizeIban(trim(val))) e.counterparty.iban = *iban;
                else e.counterparty.account = std::string(trim(val));
            } else if (n == 32 || n == 33) name.append(val);
            else if (n == 10) e.codes.emplace_back("primanota", std::string(trim(val)));
            i = end;
        }
        e.counterparty.name = text(trim(name));
        // SEPA keys inside the purpose text: EREF+ ... SVWZ+ ...
        static constexpr std::array<std::string_view, 10> kSepa{"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+"};
        std::vector<std::pair<std::size_t, std::string_view>> hits;
        for (auto k : kSepa)
            for (std::size_t p = purpose.find(k); p != std::string::npos; p = purpose.find(k, p + 1)) hits.emplace_back(p, k);
        std::sort(hits.begin(), hits.end());
        if (hits.empty()) { e.remittance = text(trim(purpose)); return; }
        std::string pre = purpose.substr(0, hits.front().first);
        for (std::size_t h = 0; h < hits.size(); ++h) {
            const auto from = hits[h].first + hits[h].second.size();
            const auto to = h + 1 < hits.size() ? hits[h + 1].first : purpose.size();
            if (to < from) continue;
            const std::string val = text(trim(std::string_view(purpose).substr(from, to - from)));
            const auto k = hits[h].second;
            if (k == "EREF+") e.endToEndId = val;
            else if (k == "SVWZ+") e.remittance = val;
            else if (k == "MREF+") e.codes.emplace_back("mandate_reference", val);
            else if (k == "CRED+") e.codes.emplace_back("creditor_id", val);
            else if (k == "KREF+") e.codes.emplace_back("customer_reference_sepa", val);
            else if (k == "ABWA+" || k == "ABWE+") e.codes.emplace_back(k == "ABWA+" ? "ultimate_debtor" : "ultimate_creditor", val);
        }
        if (e.remittance.empty()) e.remittance = text(trim(pre));
    }

    // "/EREF/x/NAME/y/REMI/z/..." (Rabobank, ING, Mollie, ...).
    void slashKeys(Entry& e, std::string_view j) {
        auto& tokens = _tokens;  // reused: one allocation per reader, not per entry
        tokens.clear();
        std::size_t p = 0;
        while (p <= j.size()) {
            const auto q = j.find('/', p);
            const auto tok = j.substr(p, (q == std::string_view::npos ? j.size() : q) - p);
            tokens.emplace_back(tok, keyOf(tok));
            if (q == std::string_view::npos) break;
            p = q + 1;
        }
        std::size_t i = 1;
        std::string val;
        while (i < tokens.size()) {
            const Key key = tokens[i].second;
            if (key == kNotAKey) { ++i; continue; }
            std::size_t k = i + 1;
            val.clear();
            while (k < tokens.size() && tokens[k].second == kNotAKey) {
                if (k > i + 1) val += '/';
                val.append(tokens[k].first);
                ++k;
            }
            while (!val.empty() && val.back() == '/') val.pop_back();
            const std::string tv = text(trim(val));
            switch (key) {
                case kNAME: if (e.counterparty.name.empty()) e.counterparty.name = tv; break;
                case kIBAN:
                    if (auto iban = refs::normalizeIban(tv)) e.counterparty.iban = *iban;
                    else if (!tv.empty()) e.counterparty.account = tv;
                    break;
                case kBIC: e.counterparty.bic = tv; break;
                case kEREF: if (tv != "NOTPROVIDED") e.endToEndId = tv; break;
                case kREMI: remi(e, tv); break;
                case kRTRN: e.reversal = true; e.returnReason = tv; break;
                case kCDTRREF:
                    // Rabobank: /REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/1234567899874563
                    if (!tv.empty()) classifyStructuredReference(tv, e.reference);
                    break;
                case kBENM:
                case kORDP:
                    // ING: /BENM/account/BIC/name/city; Rabobank: /BENM//NAME/... (empty here)
                    if (tv.empty() || !e.counterparty.iban.empty() || !e.counterparty.account.empty()) break;
                    [[fallthrough]];
                case kCNTP: {
                    // /CNTP/account/BIC/name/city/
                    std::vector<std::string> parts;
                    std::size_t a = 0;
                    while (true) {
                        const auto b = tv.find('/', a);
                        parts.push_back(tv.substr(a, b == std::string::npos ? std::string::npos : b - a));
                        if (b == std::string::npos) break;
                        a = b + 1;
                    }
                    if (auto iban = refs::normalizeIban(parts[0])) e.counterparty.iban = *iban;
                    else if (!parts[0].empty()) e.counterparty.account = parts[0];
                    if (parts.size() > 1) e.counterparty.bic = parts[1];
                    if (parts.size() > 2) e.counterparty.name = parts[2];
                    break;
                }
                case kMARF: e.codes.emplace_back("mandate_reference", tv); break;
                case kCSID: e.codes.emplace_back("creditor_id", tv); break;
                case kTRTP: e.codes.emplace_back("transaction_type_text", tv); break;
                case kPURP: e.codes.emplace_back("purpose", tv); break;
                default: break;
            }
            i = k;
        }
    }

    void remi(Entry& e, const std::string& v) {
        std::string_view s = v;
        if (s.starts_with("USTD")) {
            s.remove_prefix(4);
            while (!s.empty() && s.front() == '/') s.remove_prefix(1);
            e.remittance = std::string(s);
        } else if (s.starts_with("STRD")) {
            // STRD/CUR/<reference>
            s.remove_prefix(4);
            while (!s.empty() && s.front() == '/') s.remove_prefix(1);
            const auto slash = s.find('/');
            const auto ref = slash == std::string_view::npos ? s : s.substr(slash + 1);
            e.reference = classifyStructuredReference(ref);
        } else {
            while (!s.empty() && s.front() == '/') s.remove_prefix(1);  // ING: /REMI///text
            e.remittance = std::string(s);
        }
    }

    const Limits& _limits;
    Charset _charset = Charset::Ascii;
    const StatementCallbacks* _cb = nullptr;
    StatementFile _file;
    Field _field;
    bool _haveField = false;
    std::size_t _statementCount = 0;
    std::int64_t _stmtTotal = 0, _debitSum = 0, _creditSum = 0;
    bool _open = false, _lastWas61 = false, _interim = false;
    std::size_t _openLine = 0, _openOffset = 0, _entryCount = 0, _fieldBytes = 0;
    bool _has90D = false, _has90C = false;
    std::int64_t _sum90D = 0, _sum90C = 0;
    std::size_t _line90D = 0, _off90D = 0, _line90C = 0, _off90C = 0;
    std::set<std::string, std::less<>> _skippedTags;
    InvalidIbanWarnings _ibanWarnings;
    RepeatedWarning _februaryWarnings{"29 or 30 February dates"};
    std::vector<std::pair<std::string_view, Key>> _tokens;
};

}  // namespace

bool sniffMt940(std::string_view bytes) {
    const auto head = bytes.substr(0, 4096);
    const auto p20 = head.find(":20:");
    if (p20 == std::string_view::npos) return false;
    if (p20 > 0 && head[p20 - 1] != '\n' && head[p20 - 1] != '\x01' && head[p20 - 1] != '{' && head[p20 - 1] != ':') return false;
    const auto rest = head.substr(p20);
    return rest.find("\n:25:") != std::string_view::npos || rest.find("\n:28C:") != std::string_view::npos;
}

Result<StatementFile> parseMt940(std::string_view bytes, const Limits& limits) {
    return parseWholeBuffer<Mt940Reader>(bytes, limits, [](std::string_view b) { return mt940Charset(b); });
}

Result<StreamSummary> parseMt940Stream(std::istream& in, const StatementCallbacks& callbacks, const Limits& limits) {
    return parseFromStream<Mt940Reader>(in, callbacks, limits, [](std::string_view b) { return mt940Charset(b); });
}

}  // namespace duegate::parsers::bank
