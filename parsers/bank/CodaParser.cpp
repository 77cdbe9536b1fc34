#include "parsers/bank/CodaParser.h"

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

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

namespace duegate::parsers::bank {

namespace {

constexpr std::size_t kRecordLength = 128;

std::string_view rtrim(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    s = rtrim(s);
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

// "BE12 3456 ...   EUR" -> "BE12 3456 ...": a trailing three-letter currency code after a blank
// is not part of the account number.
std::string_view withoutCurrency(std::string_view acct) {
    if (acct.size() > 4 && acct[acct.size() - 4] == ' ') {
        const auto cur = acct.substr(acct.size() - 3);
        if (cur[0] >= 'A' && cur[0] <= 'Z' && cur[1] >= 'A' && cur[1] <= 'Z' && cur[2] >= 'A' && cur[2] <= 'Z')
            return rtrim(acct.substr(0, acct.size() - 4));
    }
    return acct;
}

bool allDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// One physical record, seen as 128 characters: a view of the input when the line is complete,
// else of a blank-padded copy (editors strip trailing blanks). In a UTF-8 file a character may
// take several bytes; such a record maps character positions to byte offsets (`starts`).
struct Record {
    std::string_view view;
    std::string padded;
    std::size_t line = 0;
    std::size_t offset = 0;
    bool mapped = false;
    std::array<std::uint16_t, kRecordLength + 1> starts{};  // byte offset of each character, when mapped
    // 1-based inclusive positions, as the Febelfin spec writes them.
    std::string_view at(std::size_t from, std::size_t to) const {
        if (!mapped) return view.substr(from - 1, to - from + 1);
        return view.substr(starts[from - 1], starts[to] - starts[from - 1]);
    }
    char ch(std::size_t pos) const { return view[mapped ? starts[pos - 1] : pos - 1]; }
};

class CodaReader {
public:
    // callbacks == nullptr: keep everything in file() (whole-buffer use).
    CodaReader(const Limits& limits, Charset charset, const StatementCallbacks* callbacks)
        : _limits(limits), _charset(charset), _cb(callbacks) {
        _file.format = "coda";
    }

    std::optional<Error> line(std::string_view raw, std::size_t lineNo, std::size_t start) {
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (trim(raw).empty()) return std::nullopt;
        _charset = refineCharset(_charset, raw);  // streaming: the first 1 MiB was ASCII
        const std::size_t chars = _charset == Charset::Utf8 ? utf8Length(raw) : raw.size();
        if (chars > kRecordLength)
            return errorAt(lineNo, start, "record", "line is " + std::to_string(chars) + " characters, CODA records have 128");
        _r.mapped = chars != raw.size();
        if (_r.mapped) {
            _r.padded.assign(raw);
            _r.padded.append(kRecordLength - chars, ' ');
            _r.view = _r.padded;
            std::size_t k = 0;
            for (std::size_t b = 0; b < _r.padded.size(); ++b)
                if ((static_cast<unsigned char>(_r.padded[b]) & 0xC0) != 0x80) _r.starts[k++] = static_cast<std::uint16_t>(b);
            _r.starts[kRecordLength] = static_cast<std::uint16_t>(_r.padded.size());
        } else if (raw.size() == kRecordLength) {
            _r.view = raw;
        } else {
            _r.padded.assign(raw);
            _r.padded.resize(kRecordLength, ' ');
            _r.view = _r.padded;
        }
        _r.line = lineNo;
        _r.offset = start;
        return onRecord(_r);
    }

    std::optional<Error> finish(const LineEnd& end) {
        if (_inStatement) return errorAt(end.lines + 1, end.bytes, "record 8", "file ends inside a statement: record 8 (new balance) missing (truncated?)");
        if (_inGroup) return errorAt(end.lines + 1, end.bytes, "record 9", "file ends without record 9 (trailer) (truncated?)");
        if (_statementCount == 0) return errorAtOffset(0, "record 0", "no CODA statement in the input");
        _thirdDecimalWarnings.finish(_file.warnings);
        _file.charset = charsetName(_charset);
        return std::nullopt;
    }

    StatementFile& file() { return _file; }
    std::size_t statementCount() const { return _statementCount; }
    std::size_t entryCount() const { return _entryCount; }

private:
    std::string text(std::string_view raw) const { return toUtf8(rtrim(raw), _charset); }
    void textInto(std::string_view raw, std::string& out) const { toUtf8(rtrim(raw), _charset, out); }

    Error err(const Record& r, std::string field, std::string message) const {
        return errorAt(r.line, r.offset, std::move(field), std::move(message));
    }

    std::optional<Error> date(const Record& r, std::size_t from, const char* field, std::optional<CivilDate>& out) const {
        const auto s = r.at(from, from + 5);
        if (s == "000000" || s == "      ") { out.reset(); return std::nullopt; }
        out = CivilDate::parseDdmmyy(s);
        if (!out) return err(r, field, "not a valid date DDMMYY: '" + std::string(s) + "'");
        return std::nullopt;
    }

    // 15 digits with 3 implied decimals (Febelfin: 12 integer digits + 3 decimals), and a sign
    // character ('0' credit, '1' debit): signed thousandths, exact.
    std::optional<Error> amount(const Record& r, std::size_t signPos, std::size_t from, const char* field, std::int64_t& out) const {
        const auto digits = r.at(from, from + 14);
        const char sign = r.ch(signPos);
        if (!allDigits(digits)) return err(r, field, "amount is not 15 digits: '" + std::string(digits) + "'");
        if (sign != '0' && sign != '1') return err(r, field, std::string("sign must be 0 (credit) or 1 (debit), got '") + sign + "'");
        std::int64_t thousandths = 0;
        for (char c : digits) thousandths = thousandths * 10 + (c - '0');
        out = sign == '1' ? -thousandths : thousandths;
        return std::nullopt;
    }

    // Thousandths in the currency's minor units, when exact (a non-zero third decimal in EUR is
    // not; every CODA amount fits a currency of exponent 3 or more).
    std::optional<std::int64_t> inCurrency(std::int64_t thousandths) const { return inExponent(thousandths, _exponent); }

    static std::optional<std::int64_t> inExponent(std::int64_t thousandths, int exponent) {
        if (exponent >= 3) return rescaleUp(thousandths, 3, exponent);
        std::int64_t div = 1;
        for (int k = exponent; k < 3; ++k) div *= 10;
        if (thousandths % div != 0) return std::nullopt;
        return thousandths / div;
    }

    // The exponent that shows all of `values` exactly: the currency's when it can, else 3.
    int exponentFor(std::initializer_list<std::int64_t> values) const {
        for (const auto v : values)
            if (!inCurrency(v)) return 3;
        return _exponent;
    }

    std::string thousandthsText(std::int64_t thousandths, int exponent) const {
        return formatMinorUnits(*inExponent(thousandths, exponent), exponent);
    }

    // A movement's amount: minor units of the currency, or thousandths with exponent 3 and a
    // warning when its third decimal does not fit the currency (never rounded).
    void setAmount(const Record& r, Entry& e, std::int64_t thousandths) {
        if (const auto minor = inCurrency(thousandths)) {
            e.amount = *minor;
            e.exponent = _exponent;
            return;
        }
        e.amount = thousandths;
        e.exponent = 3;
        e.warnings.push_back("amount " + formatSignedMinorUnits(thousandths, 3) + " has a third decimal " +
                             _currencyForAmounts + " cannot hold: kept exactly in thousandths, not representable in minor units");
        _thirdDecimalWarnings.add(_file.warnings, r.line, "record 2.1 / " + e.warnings.back());
    }

    void warnBalance(const Record& r, const char* what, std::int64_t thousandths) {
        if (inCurrency(thousandths)) return;
        _thirdDecimalWarnings.add(_file.warnings, r.line,
                                  std::string(what) + " " + formatSignedMinorUnits(thousandths, 3) + " has a third decimal " +
                                      _currencyForAmounts + " cannot hold: balances kept exactly in thousandths");
    }

    // Both balances of the current statement at the one exponent that shows them and the
    // movements' total exactly (balanceExponent set when that is not the currency's).
    int setBalances(Statement& s, std::optional<std::int64_t> closing) {
        const int x = closing ? exponentFor({_openingT, *closing, _stmtTotal}) : exponentFor({_openingT});
        s.openingBalance = *inExponent(_openingT, x);
        if (closing) s.closingBalance = *inExponent(*closing, x);
        if (x != _exponent) s.balanceExponent = x;
        else s.balanceExponent.reset();
        return x;
    }

    std::optional<Error> onRecord(const Record& r) {
        const char type = r.ch(1);
        // Record 9 counts records 1, 2.x, 3.x and 8 (Febelfin); record 4 is counted apart
        // because some banks include it.
        if (type == '4') ++_freeMessageCount;
        else if (type != '0' && type != '9') ++_recordCount;
        switch (type) {
            case '0': return header(r);
            case '1': return oldBalance(r);
            case '2': return movement(r);
            case '3': return information(r);
            case '4': return freeMessage(r);
            case '8': return newBalance(r);
            case '9': return trailer(r);
            default: return err(r, "record", std::string("unknown record type '") + type + "'");
        }
    }

    std::optional<Error> header(const Record& r) {
        if (_inGroup) return err(r, "record 0", "header before the trailer (record 9) of the previous file");
        if (r.at(1, 5) != "00000") return err(r, "record 0", "header must start with 00000");
        std::optional<CivilDate> created;
        if (auto e = date(r, 6, "record 0 / creation date", created)) return e;
        const char version = r.ch(128);
        if (version != '1' && version != '2') return err(r, "record 0 / version", std::string("unsupported CODA version '") + version + "'");
        _file.version = std::string(1, version);
        _bic = std::string(trim(r.at(61, 71)));
        _inGroup = true;
        _recordCount = _freeMessageCount = 0;
        _debitTotal = _creditTotal = 0;
        return std::nullopt;
    }

    std::optional<Error> oldBalance(const Record& r) {
        if (!_inGroup) return err(r, "record 1", "old balance before any header (record 0)");
        if (_inStatement) return err(r, "record 1", "new statement before the new balance (record 8) of the previous one");
        if (_statementCount >= _limits.maxStatements) return err(r, "record 1", "too many statements");
        Statement s;
        s.account.bic = _bic;
        const char structure = r.ch(2);
        std::string_view acct, cur;
        switch (structure) {
            case '0': acct = r.at(6, 17); cur = r.at(19, 21); break;
            case '1': acct = r.at(6, 39); cur = r.at(40, 42); break;
            case '2': acct = r.at(6, 21); cur = r.at(40, 42); break;
            case '3': acct = r.at(6, 39); cur = r.at(40, 42); break;
            default: return err(r, "record 1 / account structure", std::string("must be 0..3, got '") + structure + "'");
        }
        acct = trim(acct);
        if (structure == '2' || structure == '3') {
            if (auto iban = refs::normalizeIban(acct)) s.account.iban = *iban;
            else {
                s.account.number = std::string(acct);
                _ibanWarnings.add(_file.warnings, r.line, acct);
            }
        } else {
            s.account.number = std::string(acct);
        }
        const auto exponent = bankCurrencyExponent(cur);
        if (!exponent) return err(r, "record 1 / currency", "unknown currency '" + std::string(cur) + "'");
        _exponent = *exponent;
        _currencyForAmounts = std::string(cur);
        s.currency = s.account.currency = std::string(cur);
        s.exponent = *exponent;
        s.number = std::string(r.at(3, 5));
        s.sequence = std::string(r.at(126, 128));
        s.account.holder = text(trim(r.at(65, 90)));
        if (auto e = amount(r, 43, 44, "record 1 / old balance", _openingT)) return e;
        setBalances(s, std::nullopt);
        warnBalance(r, "old balance", _openingT);
        if (auto e = date(r, 59, "record 1 / old balance date", s.openingDate)) return e;
        s.messages = std::move(_pendingMessages);
        _pendingMessages.clear();
        _file.statements.push_back(std::move(s));
        ++_statementCount;
        _stmtTotal = 0;
        _inStatement = true;
        _current = nullptr;
        _topOpen = false;
        _lastTopSeq.clear();
        return std::nullopt;
    }

    Statement& stmt() { return _file.statements.back(); }

    std::optional<Error> movement(const Record& r) {
        if (!_inStatement) return err(r, "record 2", "movement outside a statement (no record 1 before it)");
        const char article = r.ch(2);
        const auto seq = r.at(3, 6), detail = r.at(7, 10);
        if (article == '1') return movementMain(r, seq, detail);
        if (!_current || _currentSeq != seq || _currentDetail != detail)
            return err(r, std::string("record 2.") + article, "does not follow record 2.1 of movement " + std::string(seq) + "/" + std::string(detail));
        Entry& e = *_current;
        if (article == '2') {
            _comm += r.at(11, 63);
            textInto(trim(r.at(64, 98)), e.endToEndId);
            if (e.endToEndId == "NOTPROVIDED") e.endToEndId.clear();  // SEPA's "none", as in CAMT
            e.counterparty.bic.assign(trim(r.at(99, 109)));
            const char rType = r.ch(113);
            if (rType != ' ' && rType != '0') {
                e.reversal = true;
                putCode(e, "r_type", std::string_view(&rType, 1));
                e.returnReason.assign(trim(r.at(114, 117)));
            }
            if (auto p = trim(r.at(118, 121)); !p.empty()) putCode(e, "category_purpose", p);
            if (auto p = trim(r.at(122, 125)); !p.empty()) putCode(e, "purpose", p);
        } else if (article == '3') {
            // Positions 11-47: the account and its currency code: an IBAN in 11-44 with the
            // currency in 45-47, a Belgian number with "BBBBBBBBBBBB CUR" at the start.
            if (auto iban = refs::normalizeIban(trim(r.at(11, 44)))) e.counterparty.iban.assign(*iban);
            else if (const auto acct = withoutCurrency(trim(r.at(11, 47))); !acct.empty()) e.counterparty.account.assign(acct);
            textInto(trim(r.at(48, 82)), e.counterparty.name);
            _comm += r.at(83, 125);
        } else {
            return err(r, "record 2", std::string("unknown article '") + article + "'");
        }
        return std::nullopt;
    }

    std::optional<Error> movementMain(const Record& r, std::string_view seq, std::string_view detail) {
        if (!allDigits(seq) || !allDigits(detail)) return err(r, "record 2.1 / sequence", "sequence and detail numbers must be digits");
        if (++_entryCount > _limits.maxEntries) return err(r, "record 2.1", "too many movements");
        std::int64_t amountT = 0;  // thousandths
        std::optional<CivilDate> valueDate, bookingDate;
        if (auto x = amount(r, 32, 33, "record 2.1 / amount", amountT)) return x;
        if (auto x = date(r, 48, "record 2.1 / value date", valueDate)) return x;
        if (auto x = date(r, 116, "record 2.1 / entry date", bookingDate)) return x;
        finishCurrent();

        Entry* e = nullptr;
        const bool isDetail = detail != "0000" && _topOpen && seq == _lastTopSeq;
        if (isDetail) {
            auto& parent = top();
            if (parent.details.size() >= _limits.maxDetailsPerEntry) return err(r, "record 2.1", "too many details");
            e = &parent.details.emplace_back();
        } else {
            if (amountT < 0) {
                if (__builtin_add_overflow(_debitTotal, -amountT, &_debitTotal)) return err(r, "record 2.1 / amount", "total overflows");
            } else if (__builtin_add_overflow(_creditTotal, amountT, &_creditTotal)) {
                return err(r, "record 2.1 / amount", "total overflows");
            }
            if (__builtin_add_overflow(_stmtTotal, amountT, &_stmtTotal)) return err(r, "record 2.1 / amount", "total overflows");
            flushEntries();
            e = _cb ? &_slot : &stmt().entries.emplace_back();
            _topOpen = true;
            _lastTopSeq.assign(seq);
        }
        _current = e;
        _codeCount = 0;
        e->line = r.line;
        e->currency.assign(_currencyForAmounts);
        setAmount(r, *e, amountT);
        e->valueDate = valueDate;
        e->bookingDate = bookingDate;
        e->bankReference.assign(trim(r.at(11, 31)));
        const auto code = r.at(54, 61);
        putCode(*e, "type", code.substr(0, 1));
        putCode(*e, "family", code.substr(1, 2));
        putCode(*e, "transaction", code.substr(3, 2));
        putCode(*e, "category", code.substr(5, 3));
        if (const char g = r.ch(125); g != '0' && g != ' ') putCode(*e, "globalisation", std::string_view(&g, 1));
        _structured = r.ch(62) == '1';
        _comm.assign(r.at(63, 115));
        _currentSeq.assign(seq);
        _currentDetail.assign(detail);
        _commLine = r.line;
        return std::nullopt;
    }

    // The current top-level movement (globalisation details go into its `details`): in streaming
    // use the one reused slot, in whole-buffer use the statement's last entry.
    Entry& top() { return _cb ? _slot : stmt().entries.back(); }

    // Codes are written by position so that a reused entry keeps its strings' capacity; the list
    // is cut to what this movement wrote when it is finished.
    void putCode(Entry& e, std::string_view key, std::string_view value) {
        if (_codeCount < e.codes.size()) {
            e.codes[_codeCount].first.assign(key);
            e.codes[_codeCount].second.assign(value);
        } else {
            e.codes.emplace_back(std::string(key), std::string(value));
        }
        ++_codeCount;
    }

    // A movement is complete when the next movement or record 8 starts (its 2.2/2.3/3.x records
    // come before that): remittance and reference are derived once from the communication
    // gathered from 2.1, 2.2 and 2.3.
    void finishCurrent() {
        if (!_current) return;
        Entry& e = *_current;
        const std::string_view comm(_comm);
        if (_structured) {
            const auto type = comm.substr(0, 3);
            const auto data = comm.substr(3);
            putCode(e, "communication_type", type);
            if (type == "101" || type == "102") {
                const auto digits = data.substr(0, 12);
                classifyStructuredReference(digits, e.reference);
                if (e.reference.kind != Reference::Kind::Ogm) {
                    e.reference.kind = Reference::Kind::Other;
                    e.reference.value.assign(digits);
                    if (!_warnedRef) {
                        _file.warnings.push_back("line " + std::to_string(_commLine) + ": structured communication " +
                                                 std::string(digits) + " fails its OGM check digits");
                        _warnedRef = true;
                    }
                }
                e.remittance.clear();
            } else {
                textInto(trim(data), e.remittance);
                findReferenceInText(e.remittance, e.reference);
            }
        } else {
            textInto(trim(comm), e.remittance);
            findReferenceInText(e.remittance, e.reference);
        }
        e.codes.resize(_codeCount);
        _current = nullptr;
    }

    // Streaming: the movement before the one being started is complete; hand it over and make
    // the slot ready for the next one (cleared, its strings keep their capacity).
    void flushEntries() {
        if (!_cb || !_topOpen) return;
        if (_cb->onEntry) _cb->onEntry(stmt(), std::move(_slot));
        // The codes are overwritten by position (putCode), so their strings survive the clear.
        auto codes = std::move(_slot.codes);
        clearKeepingCapacity(_slot);
        _slot.codes = std::move(codes);
        _topOpen = false;
    }

    std::optional<Error> information(const Record& r) {
        if (!_inStatement) return err(r, "record 3", "information outside a statement");
        const char article = r.ch(2);
        const auto seq = r.at(3, 6);
        if (!_current || seq != _currentSeq)
            return err(r, std::string("record 3.") + article, "information for movement " + std::string(seq) + " which is not the current movement");
        Entry& e = *_current;
        std::string_view t;
        if (article == '1') {
            if (r.ch(40) == '1') {
                const auto type = r.at(41, 43);
                t = r.at(44, 113);
                if (type == "001" && e.counterparty.name.empty()) e.counterparty.name = text(trim(t));
            } else {
                t = r.at(41, 113);
            }
        } else if (article == '2') {
            t = r.at(11, 115);
        } else if (article == '3') {
            t = r.at(11, 100);
        } else {
            return err(r, "record 3", std::string("unknown article '") + article + "'");
        }
        const auto piece = text(trim(t));
        if (!piece.empty()) {
            if (!e.information.empty()) e.information += ' ';
            e.information += piece;
        }
        if (e.information.size() > _limits.maxFieldBytes) return err(r, "record 3", "information text too long");
        return std::nullopt;
    }

    std::optional<Error> freeMessage(const Record& r) {
        const auto t = text(trim(r.at(33, 112)));
        if (t.empty()) return std::nullopt;
        if (_inStatement) stmt().messages.push_back(t);
        else if (_pendingMessages.size() < 1000) _pendingMessages.push_back(t);
        return std::nullopt;
    }

    std::optional<Error> newBalance(const Record& r) {
        if (!_inStatement) return err(r, "record 8", "new balance without an old balance (record 1)");
        Statement& s = stmt();
        std::int64_t closingT = 0;
        if (auto e = amount(r, 42, 43, "record 8 / new balance", closingT)) return e;
        const int x = setBalances(s, closingT);
        warnBalance(r, "new balance", closingT);
        if (auto e = date(r, 58, "record 8 / new balance date", s.closingDate)) return e;
        if (const auto n = r.at(2, 4); n != s.number)
            _file.warnings.push_back("line " + std::to_string(r.line) + ": statement number " + std::string(n) +
                                     " in record 8 differs from " + s.number + " in record 1");
        // Checked exactly: in thousandths whenever one of the three needs them.
        if (auto e = checkBalanceTotal(s, *inExponent(_stmtTotal, x), r.line, r.offset, "record 8 / new balance")) return e;
        finishCurrent();
        _inStatement = false;
        if (_cb) {
            flushEntries();
            Statement done = std::move(_file.statements.back());
            _file.statements.pop_back();
            if (_cb->onStatement) _cb->onStatement(std::move(done));
        }
        return std::nullopt;
    }

    std::optional<Error> trailer(const Record& r) {
        if (!_inGroup) return err(r, "record 9", "trailer without a header (record 0)");
        if (_inStatement) return err(r, "record 9", "trailer before the new balance (record 8)");
        const auto count = r.at(17, 22), debit = r.at(23, 37), credit = r.at(38, 52);
        if (!allDigits(count) || !allDigits(debit) || !allDigits(credit))
            return err(r, "record 9", "record count and totals must be digits");
        if (const auto n = std::stoul(std::string(count)); n != _recordCount && n != _recordCount + _freeMessageCount)
            return err(r, "record 9 / record count",
                       "trailer counts " + std::string(count) + " records, the file has " + std::to_string(_recordCount) +
                           " (records 1, 2, 3 and 8" +
                           (_freeMessageCount ? "; " + std::to_string(_recordCount + _freeMessageCount) + " with record 4)" : std::string(")")));
        // The totals are unsigned thousandths (they were checked to be digits above); the debit
        // total ends at position 37, right where the credit total's sign would be if it had one.
        std::int64_t d = 0, c = 0;
        for (char ch : debit) d = d * 10 + (ch - '0');
        for (char ch : credit) c = c * 10 + (ch - '0');
        if (d != _debitTotal) {
            const int x = exponentFor({d, _debitTotal});
            return err(r, "record 9 / debit total", "trailer says " + thousandthsText(d, x) + ", the movements add up to " + thousandthsText(_debitTotal, x));
        }
        if (c != _creditTotal) {
            const int x = exponentFor({c, _creditTotal});
            return err(r, "record 9 / credit total", "trailer says " + thousandthsText(c, x) + ", the movements add up to " + thousandthsText(_creditTotal, x));
        }
        _inGroup = false;
        return std::nullopt;
    }

    const Limits& _limits;
    Charset _charset = Charset::Ascii;
    const StatementCallbacks* _cb = nullptr;
    StatementFile _file;
    Record _r;
    std::size_t _statementCount = 0;
    std::int64_t _stmtTotal = 0;       // thousandths, as every CODA total below
    std::int64_t _openingT = 0;
    std::string _bic;
    bool _inGroup = false, _inStatement = false;
    std::size_t _recordCount = 0, _freeMessageCount = 0, _entryCount = 0;
    std::int64_t _debitTotal = 0, _creditTotal = 0;
    int _exponent = 2;
    std::string _currencyForAmounts = "EUR";
    Entry* _current = nullptr;         // the movement whose 2.x/3.x records are being read
    Entry _slot;                       // streaming: the one top-level movement, reused
    bool _topOpen = false;             // a top-level movement of this statement has been started
    std::size_t _codeCount = 0;        // codes written to *_current so far
    std::string _currentSeq, _currentDetail, _lastTopSeq;
    std::string _comm;
    std::size_t _commLine = 0;
    bool _structured = false, _warnedRef = false;
    std::vector<std::string> _pendingMessages;
    InvalidIbanWarnings _ibanWarnings;
    RepeatedWarning _thirdDecimalWarnings{"a third decimal"};
};

}  // namespace

bool sniffCoda(std::string_view bytes) {
    std::size_t pos = 0;
    while (pos < bytes.size() && (bytes[pos] == '\n' || bytes[pos] == '\r' || bytes[pos] == ' ')) ++pos;
    std::size_t eol = bytes.find('\n', pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    auto line = bytes.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line.size() >= 100 && line.size() <= kRecordLength && line.starts_with("00000") &&
           allDigits(line.substr(5, 6));
}

Result<StatementFile> parseCoda(std::string_view bytes, const Limits& limits) {
    return parseWholeBuffer<CodaReader>(bytes, limits, [](std::string_view b) { return detectCharset(b); });
}

Result<StreamSummary> parseCodaStream(std::istream& in, const StatementCallbacks& callbacks, const Limits& limits) {
    return parseFromStream<CodaReader>(in, callbacks, limits, [](std::string_view b) { return detectCharset(b); });
}

}  // namespace duegate::parsers::bank
