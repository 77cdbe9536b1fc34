// UTF-8 primitives shared by the parsers and the JSON writer: appending a scalar value, the
// length of a valid sequence, validation, counting characters.
// appendUtf8: a value that is not a scalar (a surrogate, or past U+10FFFF) becomes U+FFFD. Inline:
// charset conversion calls it once per character.
#pragma once

#include <cstdint>
#include <cstddef>
#include <string>
#include <string_view>

namespace duegate::parsers {

inline void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the valid UTF-8 sequence starting at s[i] (1 for ASCII), or 0 when it is not valid:
// truncated, overlong, a surrogate or past U+10FFFF.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i);

bool isValidUtf8(std::string_view s);

// Makes `s` valid UTF-8 without NUL, in place: every byte that does not start a valid sequence,
// and every NUL, becomes U+FFFD. For text bound for a database (PostgreSQL refuses both) or a
// JSON document. Clean text (the usual case) is only scanned, not copied. True when something
// was replaced.
bool makeValidUtf8(std::string& s);

// Characters in UTF-8 text: bytes that do not continue a sequence.
inline std::size_t utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace duegate::parsers
