// The SEPA Latin character set and the transliteration of accented Latin letters into it, shared by
// the pain.001 writer (names and remittance text) and the matcher's name folding.
//
// SEPA set (EPC "SEPA Requirements for an Extended Character Set", basic Latin):
//   a-z A-Z 0-9 / - ? : ( ) . , ' + space
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace duegate::core::sepa {

bool isSepaChar(char c);

// Appends the ASCII letters that stand for a Latin letter ("é" -> "e", "Æ" -> "AE", "ß" -> "ss",
// "Ł" -> "L", "ș" -> "s") and returns true; returns false (appending nothing) for any other
// code point, ASCII included.
bool appendLatinAscii(std::uint32_t codePoint, std::string& out);

// Calls f(codePoint) for each character of UTF-8 text; an invalid byte is passed as U+FFFD.
template <class F>
void forEachCodePoint(std::string_view s, F&& f);

// Decodes the UTF-8 sequence at s[i]; sets `length` (>= 1) and returns U+FFFD when invalid.
std::uint32_t decodeUtf8At(std::string_view s, std::size_t i, std::size_t& length);

template <class F>
void forEachCodePoint(std::string_view s, F&& f) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = 1;
        std::uint32_t cp = decodeUtf8At(s, i, n);
        f(cp);
        i += n;
    }
}

}  // namespace duegate::core::sepa
