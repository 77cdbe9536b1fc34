#include "parsers/refs/Mod97.h"

#include <cstdint>

namespace duegate::parsers::refs {

namespace {

constexpr std::uint64_t kReduceAbove = 100000000000000000ull;  // 1e17: acc * 100 + 35 still fits

// Accumulates in 64 bits and reduces only when the next step could overflow: one division per
// ~15 digits instead of one per digit (IBANs and references are checked on every entry).
bool accumulate(std::uint64_t& acc, std::string_view s) {
    for (char c : s) {
        if (acc >= kReduceAbove) acc %= 97;
        if (c >= '0' && c <= '9') {
            acc = acc * 10 + static_cast<std::uint64_t>(c - '0');
        } else {
            int v;
            if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
            else if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
            else return false;
            acc = acc * 100 + static_cast<std::uint64_t>(v);  // a letter is two decimal digits
        }
    }
    return true;
}

}  // namespace

std::optional<int> mod97(std::string_view alnum) {
    if (alnum.empty()) return std::nullopt;
    std::uint64_t acc = 0;
    if (!accumulate(acc, alnum)) return std::nullopt;
    return static_cast<int>(acc % 97);
}

std::optional<int> mod97(std::string_view first, std::string_view second) {
    if (first.empty() && second.empty()) return std::nullopt;
    std::uint64_t acc = 0;
    if (!accumulate(acc, first) || !accumulate(acc, second)) return std::nullopt;
    return static_cast<int>(acc % 97);
}

}  // namespace duegate::parsers::refs
