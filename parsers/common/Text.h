// Small ASCII text helpers shared across layers (header names, INI lines, SMTP verbs).
// Thread-safety: pure functions.
#pragma once

#include <cctype>
#include <string_view>

namespace duegate::parsers {

// ASCII case-insensitive equality (header names, SMTP commands, charset names).
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

// Without leading and trailing whitespace (std::isspace: blanks, tabs, CR, LF, VT, FF).
inline std::string_view trimSpace(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace duegate::parsers
