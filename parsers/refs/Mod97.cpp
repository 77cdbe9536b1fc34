#include "parsers/refs/Mod97.h"

namespace duegate::parsers::refs {

std::optional<int> mod97(std::string_view alnum) {
    if (alnum.empty()) return std::nullopt;
    int rem = 0;
    for (char c : alnum) {
        if (c >= '0' && c <= '9') {
            rem = (rem * 10 + (c - '0')) % 97;
        } else {
            int v;
            if (c >= 'A' && c <= 'Z') v = c - 'A' + 10;
            else if (c >= 'a' && c <= 'z') v = c - 'a' + 10;
            else return std::nullopt;
            // A letter is two decimal digits.
            rem = (rem * 100 + v) % 97;
        }
    }
    return rem;
}

}  // namespace duegate::parsers::refs
