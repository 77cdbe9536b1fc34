// libFuzzer target: a ZIP of statements -> bounded unpacking -> each entry sniffed and parsed ->
// canonical JSON. Must never crash, hang, leak or unpack past its bounds; a bad archive or entry
// is an Error that names its field. Seeds: tests/fuzz/fuzz_statement_zip.seeds.
#include "parsers/bank/StatementJson.h"
#include "parsers/bank/StatementZip.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace duegate::parsers::bank;
    Limits limits;
    limits.maxInputBytes = 1u << 20;
    limits.maxZipEntries = 16;
    limits.maxZipEntryBytes = 1u << 20;
    limits.maxZipTotalBytes = 4u << 20;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    (void)sniffStatementZip(bytes);
    auto file = parseStatementZip(bytes, limits);
    if (file) {
        if (statementFileToJson(*file).empty()) __builtin_trap();
    } else if (file.error().field.empty()) {
        __builtin_trap();  // every rejection names its field
    }
    return 0;
}
