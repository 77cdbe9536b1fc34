#include "parsers/refs/Mod97.h"

#include <cstdint>

namespace duegate::parsers::refs {

std::optional<int> mod97(std::string_view alnum) {
    if (alnum.empty()) return std::nullopt;
    // Accumulate in 64 bits and reduce only when the next step could overflow: one division per
    // ~15 digits instead of one per digit (IBANs and references are checked on every entry).
    std::uint64_t acc = 0;
    constexpr std::uint64_t kReduceAbove = 100000000000000000ull;  // 1e17: acc * 100 + 35 still fits
    for (char c : alnum) {
        if (acc >= kReduceAbove) acc %= 97;
        if (c >= '0' && c <= '9') {
            acc = acc * 10 + static_cast<std::uint64_t>(c - '0');
        } else {
            int v;
            if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
            else if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
            else return std::nullopt;
            // A letter is two decimal digits.
            acc = acc * 100 + static_cast<std::uint64_t>(v);
        }
    }
    return static_cast<int>(acc % 97);
}

}  // namespace duegate::parsers::refs
