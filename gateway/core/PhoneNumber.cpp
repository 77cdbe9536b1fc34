#include "gateway/core/PhoneNumber.h"

#include <cctype>

namespace duegate::core {
namespace {

std::string callingCode(std::string_view country) {
    std::string c;
    for (char ch : country) c += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (c == "BE") return "32";
    if (c == "NL") return "31";
    if (c == "FR") return "33";
    if (c == "DE") return "49";
    if (c == "LU") return "352";
    return {};
}

}  // namespace

std::optional<std::string> normalizePhone(std::string_view text, std::string_view defaultCountry) {
    std::string s(text);
    if (auto p = s.find("(0)"); p != std::string::npos) s.erase(p, 3);
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')' || c == '\t') {
            continue;
        } else {
            return std::nullopt;
        }
    }
    if (!plus) {
        if (digits.rfind("00", 0) == 0) {
            digits.erase(0, 2);
        } else if (digits.rfind("0", 0) == 0) {
            const auto cc = callingCode(defaultCountry);
            if (cc.empty()) return std::nullopt;
            digits = cc + digits.substr(1);
        } else {
            return std::nullopt;
        }
    }
    if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
    return "+" + digits;
}

}  // namespace duegate::core
