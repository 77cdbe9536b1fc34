// libFuzzer target: coda bytes -> parse -> canonical JSON. Must never crash, hang or leak;
// bad input is a located Error. Seeds: tests/fuzz/fuzz_coda.seeds.
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/StatementJson.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace duegate::parsers::bank;
    Limits limits;
    limits.maxInputBytes = 1u << 20;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)sniffCoda(bytes);
    auto file = parseCoda(bytes, limits);
    if (file) {
        const auto json = statementFileToJson(*file);
        if (json.empty()) __builtin_trap();
    } else if (file.error().field.empty()) {
        __builtin_trap();  // every rejection names its field
    }
    return 0;
}
