// libFuzzer target: coda bytes -> parse -> canonical JSON. Must never crash, hang or leak;
// bad input is a located Error. Seeds: tests/fuzz/fuzz_coda.seeds.
#include "parsers/bank/CodaParser.h"
#include "tests/fuzz/StatementFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace duegate::parsers::bank;
    return duegate::fuzz::fuzzStatementFormat(
        data, size, [](std::string_view b) { return sniffCoda(b); },
        [](std::string_view b, const Limits& l) { return parseCoda(b, l); },
        [](std::istream& in, const StatementCallbacks& cb, const Limits& l) { return parseCodaStream(in, cb, l); });
}
