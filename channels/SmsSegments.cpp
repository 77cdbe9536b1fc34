#include "channels/SmsSegments.h"

#include <vector>

namespace duegate::channels {
namespace {

// The GSM 03.38 default alphabet as Unicode code points (0x1B, the escape, is left out).
const char32_t kBasic[] = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø', U'\r', U'Å', U'å',
    U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ', U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É',
    U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(', U')', U'*', U'+', U',', U'-', U'.', U'/',
    U'0', U'1', U'2', U'3', U'4', U'5', U'6', U'7', U'8', U'9', U':', U';', U'<', U'=', U'>', U'?',
    U'¡', U'A', U'B', U'C', U'D', U'E', U'F', U'G', U'H', U'I', U'J', U'K', U'L', U'M', U'N', U'O',
    U'P', U'Q', U'R', U'S', U'T', U'U', U'V', U'W', U'X', U'Y', U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§',
    U'¿', U'a', U'b', U'c', U'd', U'e', U'f', U'g', U'h', U'i', U'j', U'k', U'l', U'm', U'n', U'o',
    U'p', U'q', U'r', U's', U't', U'u', U'v', U'w', U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à'};
const char32_t kExtension[] = {U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€', U'\f'};

struct CodePoint {
    char32_t cp;
    std::size_t offset, length;  // bytes in the UTF-8 input
    bool valid;
};

std::vector<CodePoint> decode(std::string_view s) {
    std::vector<CodePoint> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        bool ok = n > 0 && i + n <= s.size();
        char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) ok = false;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (!ok) {
            out.push_back({0xFFFD, i, 1, false});
            ++i;
            continue;
        }
        out.push_back({cp, i, n, true});
        i += n;
    }
    return out;
}

int gsmCost(char32_t cp) {  // 1, 2 (extension table) or 0 (not GSM-7)
    for (char32_t c : kBasic)
        if (c == cp) return 1;
    for (char32_t c : kExtension)
        if (c == cp) return 2;
    return 0;
}

bool allGsm(const std::vector<CodePoint>& cps) {
    for (const auto& c : cps)
        if (!c.valid || gsmCost(c.cp) == 0) return false;
    return true;
}

std::size_t unitsOf(const CodePoint& c, bool gsm7) {
    if (gsm7) return static_cast<std::size_t>(gsmCost(c.cp));
    return c.cp > 0xFFFF ? 2 : 1;
}

// Segments needed, filling each without splitting a character's units.
std::size_t segmentsFor(const std::vector<CodePoint>& cps, bool gsm7, std::size_t& units) {
    units = 0;
    for (const auto& c : cps) units += unitsOf(c, gsm7);
    if (units == 0) return 0;
    const std::size_t single = gsm7 ? 160 : 70, multi = gsm7 ? 153 : 67;
    if (units <= single) return 1;
    std::size_t segments = 1, used = 0;
    for (const auto& c : cps) {
        const auto u = unitsOf(c, gsm7);
        if (used + u > multi) {
            ++segments;
            used = 0;
        }
        used += u;
    }
    return segments;
}

}  // namespace

SmsCount countSmsSegments(std::string_view utf8) {
    const auto cps = decode(utf8);
    SmsCount r;
    r.gsm7 = allGsm(cps);
    r.segments = segmentsFor(cps, r.gsm7, r.units);
    return r;
}

std::string fitSmsSegments(std::string_view utf8, std::size_t maxSegments) {
    if (countSmsSegments(utf8).segments <= maxSegments) return std::string(utf8);
    const auto cps = decode(utf8);
    const bool gsm7 = allGsm(cps);
    const std::size_t single = gsm7 ? 160 : 70, multi = gsm7 ? 153 : 67;
    const std::size_t budget = maxSegments <= 1 ? single : multi * maxSegments;
    const std::string marker = "...";
    // Take code points while they fit the budget minus the marker (3 units either way).
    std::size_t used = 0, keep = 0;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const auto u = unitsOf(cps[i], gsm7);
        if (used + u + marker.size() > budget) break;
        used += u;
        keep = i + 1;
    }
    // Prefer a word boundary within the last 20 characters.
    std::size_t cut = keep;
    for (std::size_t back = 0; back < 20 && back < keep; ++back) {
        if (cps[keep - 1 - back].cp == U' ') {
            cut = keep - 1 - back;
            break;
        }
    }
    std::string out;
    for (std::size_t i = 0; i < cut; ++i) out.append(utf8.substr(cps[i].offset, cps[i].length));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += marker;
    // A multi-segment budget is per concatenated segment; re-check and shave if escape pairs or
    // surrogates fell on a boundary.
    while (countSmsSegments(out).segments > maxSegments && out.size() > marker.size()) {
        out.erase(out.size() - marker.size());
        const auto d = decode(out);
        out.erase(d.back().offset);
        out += marker;
    }
    return out;
}

}  // namespace duegate::channels
