// libFuzzer target: a ZIP of statements -> bounded unpacking -> each entry sniffed and parsed ->
// canonical JSON. Must never crash, hang, leak or unpack past its bounds; a bad archive or entry
// is an Error that names its field. Seeds: tests/fuzz/fuzz_statement_zip.seeds.
#include "parsers/bank/StatementZip.h"
#include "tests/fuzz/StatementFuzz.h"

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
    duegate::fuzz::checkParseResult(parseStatementZip(bytes, limits));
    return 0;
}
