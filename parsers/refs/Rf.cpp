#include "parsers/refs/Rf.h"

#include "parsers/refs/Mod97.h"

namespace duegate::parsers::refs {

namespace {

bool isAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::optional<std::string> rfFromReference(std::string_view ref) {
    if (ref.empty() || ref.size() > 21) return std::nullopt;
    std::string body;
    for (char c : ref) {
        c = upper(c);
        if (!isAlnum(c)) return std::nullopt;
        body += c;
    }
    const int check = 98 - *mod97(body + "RF00");
    std::string out = "RF";
    out += static_cast<char>('0' + check / 10);
    out += static_cast<char>('0' + check % 10);
    return out + body;
}

std::optional<std::string> parseRf(std::string_view text) {
    if (text.size() > 64) return std::nullopt;
    std::string s;
    for (char c : text) {
        if (c == ' ') continue;
        c = upper(c);
        if (!isAlnum(c)) return std::nullopt;
        s += c;
    }
    if (s.size() < 5 || s.size() > 25 || !s.starts_with("RF")) return std::nullopt;
    if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9') return std::nullopt;
    if (*mod97(std::string_view(s).substr(4), std::string_view(s).substr(0, 4)) != 1) return std::nullopt;
    return s;
}

}  // namespace duegate::parsers::refs
