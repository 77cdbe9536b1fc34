#include "parsers/bank/Charset.h"

#include "parsers/common/Utf8.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace duegate::parsers::bank {

namespace {

// Unicode code points of CP852 bytes 0x80..0xFF (generated from Python's cp852 codec).
constexpr std::array<std::uint16_t, 128> kCp852{
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x016F, 0x0107, 0x00E7,
    0x0142, 0x00EB, 0x0150, 0x0151, 0x00EE, 0x0179, 0x00C4, 0x0106,
    0x00C9, 0x0139, 0x013A, 0x00F4, 0x00F6, 0x013D, 0x013E, 0x015A,
    0x015B, 0x00D6, 0x00DC, 0x0164, 0x0165, 0x0141, 0x00D7, 0x010D,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x0104, 0x0105, 0x017D, 0x017E,
    0x0118, 0x0119, 0x00AC, 0x017A, 0x010C, 0x015F, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x011A,
    0x015E, 0x2563, 0x2551, 0x2557, 0x255D, 0x017B, 0x017C, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x0102, 0x0103,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
    0x0111, 0x0110, 0x010E, 0x00CB, 0x010F, 0x0147, 0x00CD, 0x00CE,
    0x011B, 0x2518, 0x250C, 0x2588, 0x2584, 0x0162, 0x016E, 0x2580,
    0x00D3, 0x00DF, 0x00D4, 0x0143, 0x0144, 0x0148, 0x0160, 0x0161,
    0x0154, 0x00DA, 0x0155, 0x0170, 0x00FD, 0x00DD, 0x0163, 0x00B4,
    0x00AD, 0x02DD, 0x02DB, 0x02C7, 0x02D8, 0x00A7, 0x00F7, 0x00B8,
    0x00B0, 0x00A8, 0x02D9, 0x0171, 0x0158, 0x0159, 0x25A0, 0x00A0,
};

}  // namespace

Charset detectCharset(std::string_view bytes) {
    bool high = false;
    for (char c : bytes)
        if (static_cast<unsigned char>(c) >= 0x80) { high = true; break; }
    if (!high) return Charset::Ascii;
    return isValidUtf8(bytes) ? Charset::Utf8 : Charset::Latin1;
}

Charset refineCharset(Charset current, std::string_view line, Charset eightBit) {
    if (current != Charset::Ascii) return current;
    // Eight bytes at a time: in an ASCII file this runs over every line.
    std::size_t i = 0;
    std::uint64_t high = 0;
    for (; i + 8 <= line.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, line.data() + i, 8);
        high |= w;
    }
    for (; i < line.size(); ++i) high |= static_cast<unsigned char>(line[i]);
    if ((high & 0x8080808080808080ull) == 0) return current;
    return isValidUtf8(line) ? Charset::Utf8 : eightBit;
}

const char* charsetName(Charset c) {
    switch (c) {
        case Charset::Ascii: return "ascii";
        case Charset::Utf8: return "utf-8";
        case Charset::Latin1: return "iso-8859-1";
        case Charset::Cp852: return "cp852";
    }
    return "?";
}

void toUtf8(std::string_view text, Charset from, std::string& out) {
    out.assign(text);
    if (from == Charset::Ascii) return;
    // A stream judged UTF-8 on its first 1 MiB may hold 8-bit text further on: such a field is
    // read as ISO-8859-1, so the output is always valid UTF-8 (never raw bytes).
    if (from == Charset::Utf8) {
        if (isValidUtf8(text)) return;
        from = Charset::Latin1;
    }
    // Most fields of an 8-bit file are plain ASCII: copy runs, convert only the high bytes.
    std::size_t i = 0;
    while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
    if (i == text.size()) return;
    out.resize(i);
    std::size_t run = i;
    for (; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) continue;
        out.append(text.substr(run, i - run));
        if (from == Charset::Latin1) appendUtf8(out, c);
        else appendUtf8(out, kCp852[c - 0x80]);
        run = i + 1;
    }
    out.append(text.substr(run));
}

std::string toUtf8(std::string_view text, Charset from) {
    std::string out;
    toUtf8(text, from, out);
    return out;
}

}  // namespace duegate::parsers::bank
