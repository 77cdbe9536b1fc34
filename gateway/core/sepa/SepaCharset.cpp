#include "gateway/core/sepa/SepaCharset.h"

#include "parsers/common/Utf8.h"

namespace duegate::core::sepa {

namespace {

// One letter per code point; '#' marks the few that need two letters, '.' no letter.
constexpr std::string_view kLatin1 =  // U+00C0 .. U+00FF
    "AAAAAA#CEEEEIIIIDNOOOOO.OUUUUY##"
    "aaaaaa#ceeeeiiiidnooooo.ouuuuy#y";
constexpr std::string_view kExtendedA =  // U+0100 .. U+017F
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi"  // 0100..0131
    "##"                                                  // 0132 IJ, 0133 ij
    "JjKkkLlLlLlLlLlNnNnNnnNnOoOoOo"                      // 0134..0151
    "##"                                                  // 0152 OE, 0153 oe
    "RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";       // 0154..017F
static_assert(kLatin1.size() == 0x40);
static_assert(kExtendedA.size() == 0x80);

}  // namespace

bool isSepaChar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '/': case '-': case '?': case ':': case '(': case ')': case '.': case ',': case '\'':
        case '+': case ' ':
            return true;
        default:
            return false;
    }
}

bool appendLatinAscii(std::uint32_t cp, std::string& out) {
    char c = '.';
    if (cp >= 0xC0 && cp <= 0xFF) {
        c = kLatin1[cp - 0xC0];
    } else if (cp >= 0x100 && cp <= 0x17F) {
        c = kExtendedA[cp - 0x100];
    } else {
        switch (cp) {
            case 0x218: c = 'S'; break;              // Ș
            case 0x219: c = 's'; break;              // ș
            case 0x21A: c = 'T'; break;              // Ț
            case 0x21B: c = 't'; break;              // ț
            default: return false;
        }
    }
    if (c == '.') return false;
    if (c != '#') {
        out += c;
        return true;
    }
    switch (cp) {
        case 0xC6: out += "AE"; break;
        case 0xE6: out += "ae"; break;
        case 0xDE: out += "TH"; break;
        case 0xFE: out += "th"; break;
        case 0xDF: out += "ss"; break;
        case 0x132: out += "IJ"; break;
        case 0x133: out += "ij"; break;
        case 0x152: out += "OE"; break;
        case 0x153: out += "oe"; break;
        default: return false;
    }
    return true;
}

std::uint32_t decodeUtf8At(std::string_view s, std::size_t i, std::size_t& length) {
    std::size_t n = parsers::utf8SequenceLength(s, i);
    if (n == 0) {
        length = 1;
        return 0xFFFD;
    }
    length = n;
    auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k])); };
    switch (n) {
        case 1: return b(0);
        case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
        case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
    }
}

}  // namespace duegate::core::sepa
