#include "parsers/bank/StatementJson.h"

#include "parsers/common/Decimal.h"
#include "parsers/common/JsonWriter.h"

#include <algorithm>

namespace duegate::parsers::bank {

namespace {

void date(JsonWriter& w, std::string_view k, const std::optional<CivilDate>& d) {
    w.key(k);
    if (d) w.value(d->iso());
    else w.null();
}

void optString(JsonWriter& w, std::string_view k, const std::string& v) {
    w.key(k);
    if (v.empty()) w.null();
    else w.value(v);
}

const char* kindName(Reference::Kind k) {
    switch (k) {
        case Reference::Kind::None: return "none";
        case Reference::Kind::Ogm: return "ogm";
        case Reference::Kind::Rf: return "rf";
        case Reference::Kind::Other: return "other";
    }
    return "none";
}

void writeEntry(JsonWriter& w, const Entry& e) {
    w.beginObject();
    if (e.amountGiven) w.field("amount", formatSignedMinorUnits(e.amount, e.exponent));
    else w.key("amount").null();
    w.field("currency", e.currency);
    date(w, "booking_date", e.bookingDate);
    date(w, "value_date", e.valueDate);
    w.key("counterparty").beginObject();
    optString(w, "name", e.counterparty.name);
    optString(w, "iban", e.counterparty.iban);
    optString(w, "account", e.counterparty.account);
    optString(w, "bic", e.counterparty.bic);
    w.endObject();
    w.key("reference").beginObject();
    w.field("kind", kindName(e.reference.kind));
    optString(w, "value", e.reference.value);
    w.endObject();
    optString(w, "remittance", e.remittance);
    optString(w, "information", e.information);
    optString(w, "bank_reference", e.bankReference);
    optString(w, "end_to_end_id", e.endToEndId);
    optString(w, "uetr", e.uetr);
    w.key("codes").beginObject();
    for (const auto& [k, v] : e.codes) w.field(k, v);
    w.endObject();
    w.field("booked", e.booked);
    w.field("reversal", e.reversal);
    optString(w, "return_reason", e.returnReason);
    w.field("line", static_cast<std::int64_t>(e.line));
    if (!e.warnings.empty()) {  // only on the rare entry that has some, so other documents keep their bytes
        w.key("warnings").beginArray();
        for (const auto& m : e.warnings) w.value(m);
        w.endArray();
    }
    w.key("details").beginArray();
    for (const auto& d : e.details) writeEntry(w, d);
    w.endArray();
    w.endObject();
}

void balance(JsonWriter& w, std::string_view k, const std::optional<std::int64_t>& v, int exponent) {
    w.key(k);
    if (v) w.value(formatSignedMinorUnits(*v, exponent));
    else w.null();
}

void balance(JsonWriter& w, std::string_view k, const std::optional<ExactAmount>& v) {
    w.key(k);
    if (v) w.value(formatSignedMinorUnits(v->value, v->exponent));
    else w.null();
}

}  // namespace

std::optional<std::int64_t> rescaleUp(std::int64_t v, int from, int to) {
    for (int k = from; k < to; ++k)
        if (__builtin_mul_overflow(v, 10, &v)) return std::nullopt;
    return v;
}

bool ExactSum::add(std::int64_t amount, int exponent) {
    if (!_ok) return false;
    if (exponent > _exponent) {
        const auto v = rescaleUp(_value, _exponent, exponent);
        if (!v) return _ok = false;
        _value = *v;
        _exponent = exponent;
    }
    const auto a = rescaleUp(amount, exponent, _exponent);
    if (!a || __builtin_add_overflow(_value, *a, &_value)) return _ok = false;
    return true;
}

std::optional<ExactAmount> ExactSum::at(int exponent) const {
    if (!_ok) return std::nullopt;
    const int e = std::max(exponent, _exponent);
    const auto v = rescaleUp(_value, _exponent, e);
    if (!v) return std::nullopt;
    return ExactAmount{*v, e};
}

std::optional<ExactAmount> entriesTotal(const Statement& s) {
    ExactSum sum;
    for (const auto& e : s.entries)
        if (e.booked && !sum.add(e.amount, e.exponent)) return std::nullopt;
    return sum.at(balanceExponentOf(s));
}

std::optional<Error> checkBalance(const Statement& s, std::size_t line, std::size_t offset, const std::string& field) {
    const auto total = entriesTotal(s);
    if (!total) return errorAt(line, offset, field, "entries overflow the amount range");
    if (total->exponent == balanceExponentOf(s)) return checkBalanceTotal(s, total->value, line, offset, field);
    // Entries finer than the balances: compare at the entries' exponent.
    Statement scaled;
    scaled.number = s.number;
    scaled.exponent = s.exponent;
    scaled.balanceExponent = total->exponent;
    if (s.openingBalance) scaled.openingBalance = rescaleUp(*s.openingBalance, balanceExponentOf(s), total->exponent);
    if (s.closingBalance) scaled.closingBalance = rescaleUp(*s.closingBalance, balanceExponentOf(s), total->exponent);
    if (s.openingBalance.has_value() != scaled.openingBalance.has_value() || s.closingBalance.has_value() != scaled.closingBalance.has_value())
        return errorAt(line, offset, field, "entries overflow the amount range");
    return checkBalanceTotal(scaled, total->value, line, offset, field);
}

std::optional<Error> checkBalanceTotal(const Statement& s, std::int64_t total, std::size_t line, std::size_t offset,
                                       const std::string& field) {
    if (!s.openingBalance || !s.closingBalance) return std::nullopt;
    std::int64_t expected = 0;
    if (__builtin_add_overflow(*s.openingBalance, total, &expected))
        return errorAt(line, offset, field, "entries overflow the amount range");
    if (expected == *s.closingBalance) return std::nullopt;
    const int x = balanceExponentOf(s);
    return errorAt(line, offset, field,
                   "balance mismatch in statement " + (s.number.empty() ? std::string("?") : s.number) +
                       ": opening " + formatSignedMinorUnits(*s.openingBalance, x) + " + entries " +
                       formatSignedMinorUnits(total, x) + " = " + formatSignedMinorUnits(expected, x) +
                       ", but closing is " + formatSignedMinorUnits(*s.closingBalance, x));
}

namespace {

// The canonical document in the order it is written, so that the whole-buffer and the streaming
// writers produce the same bytes.
void writeFileHead(JsonWriter& w, const std::string& format, const std::string& version, const std::string& charset) {
    w.beginObject();
    w.field("format", format);
    w.field("version", version);
    w.field("charset", charset);
    w.key("statements").beginArray();
}

void writeStatementHead(JsonWriter& w, const Statement& s, std::size_t entryCount, const std::optional<ExactAmount>& total) {
    w.beginObject();
    w.field("kind", s.kind);
    w.key("account").beginObject();
    optString(w, "iban", s.account.iban);
    optString(w, "number", s.account.number);
    optString(w, "currency", s.account.currency);
    optString(w, "bic", s.account.bic);
    optString(w, "holder", s.account.holder);
    w.endObject();
    optString(w, "number", s.number);
    optString(w, "sequence", s.sequence);
    date(w, "opening_date", s.openingDate);
    balance(w, "opening_balance", s.openingBalance, balanceExponentOf(s));
    date(w, "closing_date", s.closingDate);
    balance(w, "closing_balance", s.closingBalance, balanceExponentOf(s));
    optString(w, "currency", s.currency);
    w.field("entry_count", static_cast<std::int64_t>(entryCount));
    balance(w, "entries_total", total);
    w.key("messages").beginArray();
    for (const auto& m : s.messages) w.value(m);
    w.endArray();
    w.key("entries").beginArray();
}

void writeStatementTail(JsonWriter& w) {
    w.endArray();
    w.endObject();
}

void writeFileTail(JsonWriter& w, const std::vector<std::string>& warnings) {
    w.endArray();
    w.key("warnings").beginArray();
    for (const auto& m : warnings) w.value(m);
    w.endArray();
    w.endObject();
}

}  // namespace

std::string statementFileToJson(const StatementFile& file) {
    JsonWriter w;
    writeFileHead(w, file.format, file.version, file.charset);
    for (const auto& s : file.statements) {
        writeStatementHead(w, s, s.entries.size(), entriesTotal(s));
        for (const auto& e : s.entries) writeEntry(w, e);
        writeStatementTail(w);
    }
    writeFileTail(w, file.warnings);
    return w.str();
}

std::optional<Error> writeStatementJson(std::istream& in, const StatementStreamParser& parse, const std::string& format,
                                        std::ostream& out, const Limits& limits) {
    // Pass 1: validate, and keep each statement without its entries plus their count and total.
    struct Head {
        Statement statement;
        std::size_t count = 0;
        ExactSum sum;                         // as entriesTotal(), entry by entry
        std::optional<ExactAmount> total;
    };
    std::vector<Head> heads;
    Head current;
    StatementCallbacks collect;
    collect.onEntry = [&](const Statement&, Entry&& e) {
        ++current.count;
        if (e.booked) current.sum.add(e.amount, e.exponent);
    };
    collect.onStatement = [&](Statement&& s) {
        current.total = current.sum.at(balanceExponentOf(s));
        current.statement = std::move(s);
        heads.push_back(std::move(current));
        current = Head{};
    };
    auto summary = parse(in, collect, limits);
    if (!summary) return summary.error();

    // Pass 2: write, one entry at a time.
    in.clear();
    in.seekg(0);
    JsonWriter w;
    writeFileHead(w, format, summary->version, summary->charset);
    out << w.take();
    std::size_t index = 0;
    bool open = false;
    bool changed = false;  // the input differs from pass 1 (it changed while being read)
    auto openStatement = [&] {
        if (index >= heads.size()) { changed = true; return; }
        writeStatementHead(w, heads[index].statement, heads[index].count, heads[index].total);
        open = true;
    };
    StatementCallbacks write;
    write.onEntry = [&](const Statement&, Entry&& e) {
        if (!open) openStatement();
        if (!open) return;
        writeEntry(w, e);
        out << w.take();
    };
    write.onStatement = [&](Statement&&) {
        if (!open) openStatement();
        if (!open) return;
        writeStatementTail(w);
        out << w.take();
        open = false;
        ++index;
    };
    auto second = parse(in, write, limits);
    if (!second) return second.error();
    if (changed || index != heads.size()) return errorAtOffset(0, "input", "the file changed while it was being read");
    writeFileTail(w, summary->warnings);
    out << w.take();
    return std::nullopt;
}

}  // namespace duegate::parsers::bank
