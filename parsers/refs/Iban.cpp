#include "parsers/refs/Iban.h"

#include "parsers/refs/Mod97.h"

#include <array>
#include <utility>

namespace duegate::parsers::refs {

namespace {

// SWIFT IBAN registry lengths (release 2024).
constexpr std::array<std::pair<std::string_view, int>, 88> kLengths{{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27},
    {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
    {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28},
    {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
}};

}  // namespace

std::optional<int> ibanLength(std::string_view cc) {
    for (const auto& [code, len] : kLengths)
        if (code == cc) return len;
    return std::nullopt;
}

bool isValidBelgianAccount(std::string_view d) {
    if (d.size() != 12) return false;
    for (char c : d)
        if (c < '0' || c > '9') return false;
    int r = *mod97(d.substr(0, 10));
    if (r == 0) r = 97;
    return r == (d[10] - '0') * 10 + (d[11] - '0');
}

std::optional<std::string> normalizeIban(std::string_view text) {
    if (text.size() > 64) return std::nullopt;
    char buf[34];
    std::size_t n = 0;
    for (char c : text) {
        if (c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        if (!ok || n == sizeof buf) return std::nullopt;
        buf[n++] = c;
    }
    const std::string_view s(buf, n);
    if (s.size() < 5) return std::nullopt;
    if (s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z') return std::nullopt;
    if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9') return std::nullopt;
    const auto len = ibanLength(s.substr(0, 2));
    if (!len || static_cast<int>(s.size()) != *len) return std::nullopt;
    if (*mod97(s.substr(4), s.substr(0, 4)) != 1) return std::nullopt;
    if (s.starts_with("BE") && !isValidBelgianAccount(s.substr(4))) return std::nullopt;
    return std::string(s);
}

bool isValidIban(std::string_view text) { return normalizeIban(text).has_value(); }

}  // namespace duegate::parsers::refs
