// The body shared by the bank statement fuzz targets: sniff, parse with a 1 MiB bound, and check
// the two promises every format makes: a parsed file renders as JSON, and every rejection names
// its field. Anything else (a crash, a hang, a leak, UB) is what libFuzzer and the sanitizers catch.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/bank/StatementJson.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace duegate::fuzz {

template <class Sniff, class Parse>
int fuzzStatementFormat(const uint8_t* data, size_t size, Sniff sniff, Parse parse) {
    using namespace duegate::parsers::bank;
    Limits limits;
    limits.maxInputBytes = 1u << 20;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)sniff(bytes);
    auto file = parse(bytes, limits);
    if (file) {
        if (statementFileToJson(*file).empty()) __builtin_trap();
    } else if (file.error().field.empty()) {
        __builtin_trap();  // every rejection names its field
    }
    return 0;
}

}  // namespace duegate::fuzz
