#include "parsers/bank/StatementJson.h"

#include "parsers/common/Decimal.h"
#include "parsers/common/JsonWriter.h"

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

}  // namespace

std::optional<std::int64_t> entriesTotal(const Statement& s) {
    std::int64_t sum = 0;
    for (const auto& e : s.entries) {
        if (!e.booked) continue;
        if (__builtin_add_overflow(sum, e.amount, &sum)) return std::nullopt;
    }
    return sum;
}

std::optional<Error> checkBalance(const Statement& s, std::size_t line, std::size_t offset, const std::string& field) {
    const auto total = entriesTotal(s);
    if (!total) return errorAt(line, offset, field, "entries overflow the amount range");
    return checkBalanceTotal(s, *total, line, offset, field);
}

std::optional<Error> checkBalanceTotal(const Statement& s, std::int64_t total, std::size_t line, std::size_t offset,
                                       const std::string& field) {
    if (!s.openingBalance || !s.closingBalance) return std::nullopt;
    std::int64_t expected = 0;
    if (__builtin_add_overflow(*s.openingBalance, total, &expected))
        return errorAt(line, offset, field, "entries overflow the amount range");
    if (expected == *s.closingBalance) return std::nullopt;
    return errorAt(line, offset, field,
                   "balance mismatch in statement " + (s.number.empty() ? std::string("?") : s.number) +
                       ": opening " + formatSignedMinorUnits(*s.openingBalance, s.exponent) + " + entries " +
                       formatSignedMinorUnits(total, s.exponent) + " = " +
                       formatSignedMinorUnits(expected, s.exponent) + ", but closing is " +
                       formatSignedMinorUnits(*s.closingBalance, s.exponent));
}

std::string statementFileToJson(const StatementFile& file) {
    JsonWriter w;
    w.beginObject();
    w.field("format", file.format);
    w.field("version", file.version);
    w.field("charset", file.charset);
    w.key("statements").beginArray();
    for (const auto& s : file.statements) {
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
        balance(w, "opening_balance", s.openingBalance, s.exponent);
        date(w, "closing_date", s.closingDate);
        balance(w, "closing_balance", s.closingBalance, s.exponent);
        optString(w, "currency", s.currency);
        w.field("entry_count", static_cast<std::int64_t>(s.entries.size()));
        const auto total = entriesTotal(s);
        balance(w, "entries_total", total, s.exponent);
        w.key("messages").beginArray();
        for (const auto& m : s.messages) w.value(m);
        w.endArray();
        w.key("entries").beginArray();
        for (const auto& e : s.entries) writeEntry(w, e);
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.key("warnings").beginArray();
    for (const auto& m : file.warnings) w.value(m);
    w.endArray();
    w.endObject();
    return w.str();
}

}  // namespace duegate::parsers::bank
