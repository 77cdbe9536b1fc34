// libFuzzer target: parseMime must return a value or a located error for any bytes, within its
// bounds, without crashing, hanging or leaking. Small limits so that the fuzzer reaches them.
#include "parsers/mime/MimeJson.h"
#include "parsers/mime/MimeMessage.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    duegate::parsers::mime::MimeLimits limits;
    limits.maxBytes = 1 << 20;
    limits.maxDepth = 8;
    limits.maxParts = 64;
    limits.maxHeaderLength = 4096;
    auto r = duegate::parsers::mime::parseMime(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    if (r.ok()) (void)duegate::parsers::mime::toJson(*r);
    else (void)r.error().toString();
    return 0;
}
