// Conversion of text in a declared charset to UTF-8, for bodies and RFC 2047 words.
//
// Known: UTF-8, US-ASCII, ISO-8859-1/2/15, Windows-1250/1251/1252, UTF-16(LE/BE), UTF-32, UTF-7
// (Outlook still sends it). An unknown or bogus charset ("invalid-charset", "UFT-8") is not an
// error: the bytes are kept, passed through when they are valid UTF-8 and otherwise read as
// Windows-1252 (what clients do), and `known` is false so the caller can add a warning.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace duegate::parsers::mime {

struct Converted {
    std::string text;    // UTF-8
    bool known = true;   // false: charset not recognised, fallback used
};

Converted toUtf8(std::string_view bytes, std::string_view charset);

// Bytes that are not valid UTF-8 read as Windows-1252; valid UTF-8 is returned unchanged.
std::string utf8OrWindows1252(std::string_view s);

}  // namespace duegate::parsers::mime
