// libFuzzer target: mt940 bytes -> parse -> canonical JSON. Must never crash, hang or leak;
// bad input is a located Error. Seeds: tests/fuzz/fuzz_mt940.seeds.
#include "parsers/bank/Mt940Parser.h"
#include "tests/fuzz/StatementFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace duegate::parsers::bank;
    return duegate::fuzz::fuzzStatementFormat(
        data, size, [](std::string_view b) { return sniffMt940(b); },
        [](std::string_view b, const Limits& l) { return parseMt940(b, l); },
        [](std::istream& in, const StatementCallbacks& cb, const Limits& l) { return parseMt940Stream(in, cb, l); });
}
