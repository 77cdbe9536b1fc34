#include "parsers/common/Utf8.h"

#include <cstdint>
#include <utility>

namespace duegate::parsers {

std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    std::size_t len;
    std::uint32_t cp;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp > 0x10FFFF) return 0;
    return len;
}

bool isValidUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
        const std::size_t len = utf8SequenceLength(s, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

bool makeValidUtf8(std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {  // fast scan up to the first flaw
        const auto b = static_cast<unsigned char>(s[i]);
        if (b != 0 && b < 0x80) { ++i; continue; }
        const std::size_t len = b == 0 ? 0 : utf8SequenceLength(s, i);
        if (len == 0) break;
        i += len;
    }
    if (i == s.size()) return false;
    std::string out(s, 0, i);
    out.reserve(s.size() + 8);
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b == 0 ? 0 : (b < 0x80 ? 1 : utf8SequenceLength(s, i));
        if (len == 0) {
            appendUtf8(out, 0xFFFD);
            ++i;
        } else {
            out.append(s, i, len);
            i += len;
        }
    }
    s = std::move(out);
    return true;
}

}  // namespace duegate::parsers
