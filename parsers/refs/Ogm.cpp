#include "parsers/refs/Ogm.h"

#include "parsers/refs/Mod97.h"

namespace duegate::parsers::refs {

namespace {

bool allDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int ogmCheck(std::string_view tenDigits) {
    const int r = *mod97(tenDigits);
    return r == 0 ? 97 : r;
}

}  // namespace

std::optional<std::string> ogmFromBase(std::string_view tenDigits) {
    if (tenDigits.size() != 10 || !allDigits(tenDigits)) return std::nullopt;
    const int check = ogmCheck(tenDigits);
    std::string digits(tenDigits);
    digits += static_cast<char>('0' + check / 10);
    digits += static_cast<char>('0' + check % 10);
    return formatOgm(digits);
}

bool isValidOgmDigits(std::string_view twelve) {
    if (twelve.size() != 12 || !allDigits(twelve)) return false;
    const int check = (twelve[10] - '0') * 10 + (twelve[11] - '0');
    return check == ogmCheck(twelve.substr(0, 10));
}

std::string formatOgm(std::string_view d) {
    if (d.size() != 12) return std::string(d);
    std::string out = "+++";
    out.append(d.substr(0, 3)).append("/").append(d.substr(3, 4)).append("/").append(d.substr(7, 5));
    return out + "+++";
}

std::optional<std::string> parseOgm(std::string_view text) {
    // Trim surrounding whitespace, then an optional matching +++ / *** frame.
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.size() > 64) return std::nullopt;
    for (std::string_view frame : {"+++", "***"}) {
        if (text.starts_with(frame) || text.ends_with(frame)) {
            if (!(text.size() >= 6 && text.starts_with(frame) && text.ends_with(frame))) return std::nullopt;
            text = text.substr(3, text.size() - 6);
            break;
        }
    }
    char digits[12];
    std::size_t n = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            if (n == sizeof digits) return std::nullopt;
            digits[n++] = c;
        } else if (c != ' ' && c != '/' && c != '.') {
            return std::nullopt;
        }
    }
    const std::string_view d(digits, n);
    if (!isValidOgmDigits(d)) return std::nullopt;
    return std::string(d);
}

}  // namespace duegate::parsers::refs
