// libFuzzer target: the bulk template through XLSX (Poco::Zip, XML parts, cells) and, on the same
// bytes, through CSV. Small uncompressed budget so zip bombs are cut quickly.
#include "parsers/invoice/BulkTemplate.h"
#include "parsers/invoice/InvoiceJson.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    duegate::parsers::invoice::BulkLimits limits;
    limits.maxUncompressedBytes = 4 << 20;
    limits.maxRows = 2000;
    auto x = duegate::parsers::invoice::parseBulkXlsx(bytes, limits);
    if (x.ok()) (void)duegate::parsers::invoice::toJson(*x);
    auto c = duegate::parsers::invoice::parseBulkCsv(bytes, limits);
    if (c.ok()) (void)duegate::parsers::invoice::toJson(*c);
    return 0;
}
