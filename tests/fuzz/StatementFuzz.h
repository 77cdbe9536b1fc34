// The body shared by the bank statement fuzz targets: sniff, parse with a 1 MiB bound, and check
// the promises every format makes: a parsed file renders as JSON, every rejection names its
// field, and the streaming entry point (which reuses one entry object per movement) agrees with
// the whole-buffer one: same JSON when it parses (also through writeStatementJson, which
// `duegate parse` uses), same error when it does not. Anything else (a
// crash, a hang, a leak, UB) is what libFuzzer and the sanitizers catch.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/bank/StatementCollector.h"
#include "parsers/bank/StatementJson.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace duegate::fuzz {

// An entry in the statement's currency whose amount its minor units cannot hold (a CODA third
// decimal) says so. (A CAMT detail may be in another currency, with that currency's exponent.)
inline void checkExponents(const parsers::bank::Entry& e, const parsers::bank::Statement& s) {
    if (e.currency == s.currency && e.exponent != s.exponent && e.warnings.empty()) __builtin_trap();
    for (const auto& d : e.details) checkExponents(d, s);
}

// A parsed file renders as JSON; a rejection names its field.
template <class R>
void checkParseResult(const R& file) {
    if (file) {
        for (const auto& s : file->statements)
            for (const auto& e : s.entries) checkExponents(e, s);
        if (parsers::bank::statementFileToJson(*file).empty()) __builtin_trap();
    } else if (file.error().field.empty()) {
        __builtin_trap();
    }
}

template <class Sniff, class Parse, class ParseStream>
int fuzzStatementFormat(const uint8_t* data, size_t size, Sniff sniff, Parse parse, ParseStream parseStream) {
    using namespace duegate::parsers::bank;
    Limits limits;
    limits.maxInputBytes = 1u << 20;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)sniff(bytes);
    auto file = parse(bytes, limits);
    checkParseResult(file);

    std::istringstream in{std::string(bytes)};
    StatementCollector collector(file ? file->format : std::string());
    auto summary = parseStream(in, collector.callbacks(), limits);
    if (summary.ok() != file.ok()) __builtin_trap();
    if (!file) {
        if (summary.error().toString() != file.error().toString()) __builtin_trap();
        return 0;
    }
    const std::string wholeJson = statementFileToJson(*file);
    if (statementFileToJson(collector.finish(std::move(*summary))) != wholeJson) __builtin_trap();

    // What `duegate parse` prints: the two-pass streaming writer, byte for byte the same.
    std::istringstream again{std::string(bytes)};
    std::ostringstream out;
    if (writeStatementJson(again, parseStream, file->format, out, limits) || out.str() != wholeJson) __builtin_trap();
    return 0;
}

}  // namespace duegate::fuzz
