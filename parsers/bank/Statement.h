// The one statement model that CODA, CAMT.053/054 and MT940/942 are all read into, and the limits
// that bound every bank parser.
//
// Money is int64 minor units of the named currency (exponent from Currency.h, or the legacy table
// in BankCurrency.h); dates are civil dates. Text is UTF-8 (converted from the file's charset,
// which StatementFile::charset records). Nothing here is floating point.
// Thread-safety: plain values.
#pragma once

#include "parsers/common/CivilDate.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace duegate::parsers::bank {

struct Limits {
    std::size_t maxInputBytes = 512u << 20;     // whole-buffer entry points (streaming CAMT has none)
    std::size_t maxLineBytes = 8192;            // CODA / MT940 physical line
    std::size_t maxFieldBytes = 65536;          // one MT940 field, one XML text node
    std::size_t maxStatements = 100000;
    std::size_t maxEntries = 10000000;          // per file
    std::size_t maxDetailsPerEntry = 100000;
    std::size_t maxXmlDepth = 64;
    std::size_t maxZipEntries = 1000;
    std::uint64_t maxZipEntryBytes = 256u << 20;
    std::uint64_t maxZipTotalBytes = 1024u << 20;
};

struct Account {
    std::string iban;      // electronic form, validated; empty when the file gives none
    std::string number;    // any other account identifier as written (Belgian BBAN, legacy NL, ...)
    std::string currency;
    std::string bic;
    std::string holder;
};

struct Counterparty {
    std::string name;
    std::string iban;      // validated IBAN, electronic form
    std::string account;   // non-IBAN account as written
    std::string bic;
};

struct Reference {
    enum class Kind { None, Ogm, Rf, Other };
    Kind kind = Kind::None;
    std::string value;     // Ogm: "+++123/4567/89002+++"; Rf: "RF712348231"; Other: as written
};

struct Entry {
    std::int64_t amount = 0;          // signed: credit > 0, debit < 0
    bool amountGiven = true;          // false: the file gives none (a CAMT TxDtls without Amt); amount is 0
    std::string currency;
    // Of `amount`: the currency's (Statement::exponent), except for a CODA amount whose third
    // decimal (Febelfin amounts have 12 integer digits and 3 decimals) the currency cannot hold:
    // then 3, and `amount` is in thousandths (-767823 with exponent 3 = -767.823), kept exactly,
    // with a line in `warnings`. Contract for every consumer: an entry whose exponent differs
    // from its currency's exponent is NOT representable in minor units. It is never matched or
    // booked automatically (never rounded, never compared with a minor-unit amount as if it were
    // one): the payments queue shows it to a person.
    int exponent = 2;
    std::optional<CivilDate> bookingDate;
    std::optional<CivilDate> valueDate;
    Counterparty counterparty;
    Reference reference;
    std::string remittance;           // free text as the bank wrote it (wrapped lines joined)
    std::string information;          // extra bank information (CODA 3.x, CAMT AddtlNtryInf, ...)
    std::string bankReference;
    std::string endToEndId;
    std::string uetr;
    std::vector<std::pair<std::string, std::string>> codes;  // format-specific, in file order
    bool booked = true;               // false: pending / information only, outside the balance
    bool reversal = false;
    std::string returnReason;
    std::size_t line = 0;             // where it starts in the input (1-based; 0 = unknown)
    // What a person should know about this entry, quoting the file ("value date 160230 is
    // 30 February: read as 2016-02-29"); empty for almost every entry. The same text is among the
    // file's warnings (RepeatedWarning: the first few of a kind, then a count).
    std::vector<std::string> warnings;
    std::vector<Entry> details;       // CODA globalisation details, CAMT TxDtls (when > 1)
};

// Empties `e` to its default values but keeps the capacity of its strings and vectors: the
// streaming readers refill one Entry per movement, so a warmed-up parse allocates nothing per
// entry. Keep in step with the fields above.
inline void clearKeepingCapacity(Entry& e) {
    e.amount = 0;
    e.amountGiven = true;
    e.currency.clear();
    e.exponent = 2;
    e.bookingDate.reset();
    e.valueDate.reset();
    e.counterparty.name.clear();
    e.counterparty.iban.clear();
    e.counterparty.account.clear();
    e.counterparty.bic.clear();
    e.reference.kind = Reference::Kind::None;
    e.reference.value.clear();
    e.remittance.clear();
    e.information.clear();
    e.bankReference.clear();
    e.endToEndId.clear();
    e.uetr.clear();
    e.codes.clear();
    e.booked = true;
    e.reversal = false;
    e.returnReason.clear();
    e.line = 0;
    e.warnings.clear();
    e.details.clear();
}

struct Statement {
    std::string kind = "statement";   // statement | notification | report | interim
    Account account;
    std::string number;
    std::string sequence;
    std::optional<CivilDate> openingDate;
    std::optional<std::int64_t> openingBalance;
    std::optional<CivilDate> closingDate;
    std::optional<std::int64_t> closingBalance;
    std::string currency;
    int exponent = 2;                  // of currency
    // Of openingBalance and closingBalance when it is not `exponent`: 3 when a CODA balance has a
    // third decimal the currency cannot hold (both balances are then in thousandths, exact; the
    // balance chain is checked in thousandths). Use balanceExponentOf().
    std::optional<int> balanceExponent;
    std::vector<Entry> entries;
    std::vector<std::string> messages; // CODA record 4, MT940 statement-level :86:
};

inline int balanceExponentOf(const Statement& s) { return s.balanceExponent.value_or(s.exponent); }

struct StatementFile {
    std::string format;                // coda | camt | mt940 | zip
    std::string version;               // "2", "camt.053.001.02", "MT940", ...
    std::vector<Statement> statements;
    std::vector<std::string> warnings;
    std::string charset = "utf-8";     // of the input text: ascii, utf-8, iso-8859-1, cp852
};

// Streaming use (large files): each entry is handed over as soon as it is complete and nothing is
// kept, so memory stays flat in file size. Balances are checked on running totals.
struct StatementCallbacks {
    // `statement` holds the header read so far (account, number, opening balance) and no entries.
    std::function<void(const Statement& statement, Entry&& entry)> onEntry;
    // The statement at its end, balances checked; its `entries` are empty in streaming use.
    std::function<void(Statement&& statement)> onStatement;
};

struct StreamSummary {
    std::string version;
    std::string charset;
    std::size_t statements = 0;
    std::size_t entries = 0;
    std::vector<std::string> warnings;
};

}  // namespace duegate::parsers::bank
