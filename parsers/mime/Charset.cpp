#include "parsers/mime/Charset.h"

#include "parsers/common/Utf8.h"

#include <Poco/TextConverter.h>
#include <Poco/TextEncoding.h>
#include <Poco/UTF8Encoding.h>

#include <cctype>
#include <cstdint>

namespace duegate::parsers::mime {
namespace {

// Windows-1252 0x80..0x9F; 0 = undefined (kept as U+FFFD).
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

std::string latin1(std::string_view s, bool cp1252) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) out += ch;
        else if (cp1252 && c < 0xA0) appendUtf8(out, kCp1252High[c - 0x80] ? kCp1252High[c - 0x80] : 0xFFFD);
        else appendUtf8(out, c);
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// RFC 2152: direct characters as themselves, "+" base64(UTF-16BE) "-" for the rest, "+-" = "+".
std::string utf7(std::string_view s) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '+') { out += s[i++]; continue; }
        ++i;
        if (i < s.size() && s[i] == '-') { out += '+'; ++i; continue; }
        std::uint32_t bits = 0;
        int nbits = 0;
        std::uint32_t highSurrogate = 0;
        while (i < s.size()) {
            const auto pos = alphabet.find(s[i]);
            if (pos == std::string::npos) break;
            bits = (bits << 6) | static_cast<std::uint32_t>(pos);
            nbits += 6;
            ++i;
            if (nbits >= 16) {
                nbits -= 16;
                const std::uint32_t unit = (bits >> nbits) & 0xFFFF;
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    highSurrogate = unit;
                } else if (unit >= 0xDC00 && unit <= 0xDFFF && highSurrogate) {
                    appendUtf8(out, 0x10000 + ((highSurrogate - 0xD800) << 10) + (unit - 0xDC00));
                    highSurrogate = 0;
                } else {
                    appendUtf8(out, unit);
                    highSurrogate = 0;
                }
            }
        }
        if (i < s.size() && s[i] == '-') ++i;  // explicit end of the shifted run
    }
    return out;
}

}  // namespace

std::string utf8OrWindows1252(std::string_view s) {
    if (isValidUtf8(s)) return std::string(s);
    return latin1(s, true);
}

Converted toUtf8(std::string_view bytes, std::string_view charsetIn) {
    std::string cs = lower(charsetIn);
    while (!cs.empty() && (cs.back() == ' ' || cs.back() == '"')) cs.pop_back();
    if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" || cs == "unicode-1-1-utf-8")
        return {utf8OrWindows1252(bytes), true};
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "iso8859-1" || cs == "iso_8859-1" || cs == "l1")
        return {latin1(bytes, false), true};
    // Senders label Windows-1252 text as ISO-8859-1 and the reverse; 1252 is the superset.
    if (cs == "windows-1252" || cs == "cp1252" || cs == "x-cp1252") return {latin1(bytes, true), true};
    if (cs == "utf-7" || cs == "unicode-1-1-utf-7") return {utf7(bytes), true};
    try {
        Poco::TextEncoding& from = Poco::TextEncoding::byName(cs);
        Poco::UTF8Encoding utf8;
        Poco::TextConverter converter(from, utf8, 0xFFFD);
        std::string out;
        converter.convert(bytes.data(), static_cast<int>(bytes.size()), out);
        return {out, true};
    } catch (const Poco::Exception&) {
        return {utf8OrWindows1252(bytes), false};
    }
}

}  // namespace duegate::parsers::mime
