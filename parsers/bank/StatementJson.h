// Canonical JSON of a StatementFile (docs/formats-bank.md: key order and every field), and the
// balance rule shared by all formats.
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace duegate::parsers::bank {

std::string statementFileToJson(const StatementFile& file);

// A streaming entry point (parseCodaStream, parseCamtStream, parseMt940Stream).
using StatementStreamParser = std::function<Result<StreamSummary>(std::istream&, const StatementCallbacks&, const Limits&)>;

// The same JSON as statementFileToJson(parse of the whole input), written to `out` as the input
// is read, for files too large to hold: memory is bounded by one entry. Two passes over the
// seekable `in`: the first validates and collects what the canonical order puts before the
// entries (version, charset, each statement's balances, entry count and total, the warnings);
// the second writes. Nothing is written unless the input is valid.
std::optional<Error> writeStatementJson(std::istream& in, const StatementStreamParser& parse, const std::string& format,
                                        std::ostream& out, const Limits& limits = {});

// An exact amount: value * 10^-exponent.
struct ExactAmount {
    std::int64_t value = 0;
    int exponent = 0;
};

// `v` at exponent `from` written at exponent `to` >= from; std::nullopt on int64 overflow.
std::optional<std::int64_t> rescaleUp(std::int64_t v, int from, int to);

// A running sum of amounts whose exponents may differ (a CODA amount in thousandths among cents),
// kept exact at the largest exponent seen. The order of the additions does not change the result.
class ExactSum {
public:
    // false (and the sum unusable from then on) on int64 overflow.
    bool add(std::int64_t amount, int exponent);
    // The sum at max(its exponent, `exponent`); std::nullopt after an overflow.
    std::optional<ExactAmount> at(int exponent) const;

private:
    std::int64_t _value = 0;
    int _exponent = 0;
    bool _ok = true;
};

// Opening balance + booked top-level entries == closing balance, checked when both balances are
// present. The Error names `line`/`field` and both figures; std::nullopt when consistent.
std::optional<Error> checkBalance(const Statement& s, std::size_t line, std::size_t offset, const std::string& field);

// The same with the entries' total already summed (streaming readers keep a running total), in
// minor units of balanceExponentOf(s).
std::optional<Error> checkBalanceTotal(const Statement& s, std::int64_t total, std::size_t line, std::size_t offset,
                                       const std::string& field);

// Sum of the booked top-level entries at the largest of their exponents and the balances'
// (balanceExponentOf), exact; std::nullopt on int64 overflow.
std::optional<ExactAmount> entriesTotal(const Statement& s);

}  // namespace duegate::parsers::bank
