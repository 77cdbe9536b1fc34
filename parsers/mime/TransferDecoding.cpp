#include "parsers/mime/TransferDecoding.h"

#include <array>
#include <cstdint>

namespace duegate::parsers::mime {
namespace {

constexpr std::array<std::int8_t, 256> makeBase64Table() {
    std::array<std::int8_t, 256> t{};
    for (auto& v : t) v = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    return t;
}
constexpr auto kBase64 = makeBase64Table();

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

bool decodeBase64(std::string_view in, std::string& out) {
    out.reserve(out.size() + in.size() / 4 * 3 + 3);
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const auto* end = p + in.size();
    std::uint32_t acc = 0;
    int n = 0;
    // Fast path: whole 4-character groups of alphabet characters (a 76-column line holds 19).
    while (p < end) {
        if (n == 0 && end - p >= 4) {
            const int a = kBase64[p[0]], b = kBase64[p[1]], c = kBase64[p[2]], d = kBase64[p[3]];
            if ((a | b | c | d) >= 0) {
                const std::uint32_t v = (static_cast<std::uint32_t>(a) << 18) | (static_cast<std::uint32_t>(b) << 12) |
                                        (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
                const char bytes[3] = {static_cast<char>(v >> 16), static_cast<char>((v >> 8) & 0xFF),
                                       static_cast<char>(v & 0xFF)};
                out.append(bytes, 3);
                p += 4;
                continue;
            }
        }
        const unsigned char ch = *p++;
        if (ch == '=') break;  // padding: the data ends here
        const int v = kBase64[ch];
        if (v < 0) continue;   // line breaks and stray characters are skipped, as clients do
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        if (++n == 4) {
            out += static_cast<char>(acc >> 16);
            out += static_cast<char>((acc >> 8) & 0xFF);
            out += static_cast<char>(acc & 0xFF);
            acc = 0;
            n = 0;
        }
    }
    if (n == 2) out += static_cast<char>(acc >> 4);
    if (n == 3) {
        out += static_cast<char>(acc >> 10);
        out += static_cast<char>((acc >> 2) & 0xFF);
    }
    return n != 1;
}

bool decodeQuotedPrintable(std::string_view in, std::string& out) {
    out.reserve(out.size() + in.size());
    bool clean = true;
    std::size_t i = 0;
    while (i < in.size()) {
        const char c = in[i];
        if (c == '=') {
            // Soft line break: "=" then optional trailing blanks then CRLF or LF.
            std::size_t j = i + 1;
            while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
            if (j < in.size() && (in[j] == '\r' || in[j] == '\n')) {
                if (in[j] == '\r' && j + 1 < in.size() && in[j + 1] == '\n') ++j;
                i = j + 1;
                continue;
            }
            if (j == in.size()) { i = j; continue; }  // "=" at the very end: soft break
            const int hi = i + 1 < in.size() ? hexValue(in[i + 1]) : -1;
            const int lo = i + 2 < in.size() ? hexValue(in[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 3;
                continue;
            }
            clean = false;
            out += c;  // not a valid escape: keep it literally, as clients do
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t') {
            // Trailing whitespace before a line break was added in transport: drop it.
            std::size_t j = i;
            while (j < in.size() && (in[j] == ' ' || in[j] == '\t')) ++j;
            if (j == in.size() || in[j] == '\r' || in[j] == '\n') { i = j; continue; }
            out.append(in.substr(i, j - i));
            i = j;
            continue;
        }
        if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') {
            out += "\r\n";
            i += 2;
            continue;
        }
        out += c;
        ++i;
    }
    return clean;
}

bool decodeUuencode(std::string_view in, std::string& out, std::string& name) {
    std::size_t pos = 0;
    bool inBlock = false;
    while (pos < in.size()) {
        std::size_t eol = in.find('\n', pos);
        if (eol == std::string_view::npos) eol = in.size();
        std::string_view line = in.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!inBlock) {
            if (line.substr(0, 6) == "begin ") {
                // "begin 644 name": the mode is three or four octal digits.
                const auto sp = line.find(' ', 6);
                if (sp != std::string_view::npos) name = std::string(line.substr(sp + 1));
                inBlock = true;
            }
            continue;
        }
        if (line == "end" || line.substr(0, 3) == "end") return true;
        if (line.empty()) continue;
        const int count = (line[0] - 0x20) & 0x3F;
        if (count == 0) continue;  // the "`" line before "end"
        int produced = 0;
        for (std::size_t i = 1; i < line.size() && produced < count; i += 4) {
            auto v = [&](std::size_t k) -> std::uint32_t {
                return k < line.size() ? static_cast<std::uint32_t>((line[k] - 0x20) & 0x3F) : 0u;
            };
            const std::uint32_t quad = (v(i) << 18) | (v(i + 1) << 12) | (v(i + 2) << 6) | v(i + 3);
            for (int s = 16; s >= 0 && produced < count; s -= 8, ++produced)
                out += static_cast<char>((quad >> s) & 0xFF);
        }
    }
    return false;
}

}  // namespace duegate::parsers::mime
