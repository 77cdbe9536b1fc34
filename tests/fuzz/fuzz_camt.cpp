// libFuzzer target: camt bytes -> parse -> canonical JSON. Must never crash, hang or leak;
// bad input is a located Error. Seeds: tests/fuzz/fuzz_camt.seeds.
#include "parsers/bank/CamtParser.h"
#include "tests/fuzz/StatementFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace duegate::parsers::bank;
    return duegate::fuzz::fuzzStatementFormat(
        data, size, [](std::string_view b) { return sniffCamt(b); },
        [](std::string_view b, const Limits& l) { return parseCamt(b, l); },
        [](std::istream& in, const StatementCallbacks& cb, const Limits& l) { return parseCamtStream(in, cb, l); });
}
