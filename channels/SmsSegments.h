// How many SMS segments a text costs, and cutting a text to fit a number of segments.
//
// GSM 03.38: a text whose every character is in the GSM 7-bit default alphabet or its extension
// table (^ { } \ [ ~ ] | € and form feed, two septets each: ESC + char) is sent as GSM-7:
// 160 septets in one segment, 153 per segment when concatenated (the UDH takes 7). An escape pair
// is never split across segments. Any other character makes the whole text UCS-2: 70 UTF-16 code
// units in one segment, 67 per concatenated segment, a surrogate pair never split.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duegate::channels {

struct SmsCount {
    bool gsm7 = true;          // false: UCS-2
    std::size_t units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
    std::size_t segments = 0;  // 0 for the empty text
};

// Invalid UTF-8 bytes count as one UCS-2 unit each (they would be replaced before sending).
SmsCount countSmsSegments(std::string_view utf8);

// The longest prefix of `utf8` (cut at a word boundary when one is near, else a code point) that
// fits in maxSegments together with a "..." marker; the text itself when it fits already.
std::string fitSmsSegments(std::string_view utf8, std::size_t maxSegments = 2);

}  // namespace duegate::channels
