// libFuzzer target: parseUbl (SAX tree, amounts, parties, embedded base64) on any bytes.
#include "parsers/invoice/InvoiceJson.h"
#include "parsers/invoice/UblInvoice.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto r = duegate::parsers::invoice::parseUbl(std::string_view(reinterpret_cast<const char*>(data), size));
    if (r.ok()) (void)duegate::parsers::invoice::toJson(*r);
    else (void)r.error().toString();
    return 0;
}
