#include "gateway/core/matching/NameSimilarity.h"

#include "gateway/core/sepa/SepaCharset.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace duegate::core::matching {

namespace {

// Legal forms and titles in Belgium and the Netherlands (and their neighbours) say nothing about
// who paid: "Peeters BVBA" and "Peeters" are the same payer.
constexpr std::array<std::string_view, 30> kNoise = {
    "bv", "nv", "bvba", "sprl", "srl", "sa", "cv", "cvba", "vof", "comm", "commv", "vzw", "asbl", "gmbh",
    "ltd", "bcv", "ebvba", "scrl", "snc", "eenmanszaak", "mr", "mrs", "mevr", "dhr", "mme", "mlle", "m", "heer", "mevrouw", "en"};

bool isNoise(std::string_view word) {
    return std::find(kNoise.begin(), kNoise.end(), word) != kNoise.end();
}

void trigrams(std::string_view folded, std::vector<std::uint32_t>& out) {
    out.clear();
    if (folded.empty()) return;
    // Pad with blanks so short words and word edges count.
    auto at = [&](std::size_t i) -> std::uint32_t {
        if (i == 0 || i > folded.size()) return ' ';
        return static_cast<unsigned char>(folded[i - 1]);
    };
    std::size_t n = folded.size() + 2;
    for (std::size_t i = 0; i + 2 < n + 1; ++i) out.push_back(at(i) << 16 | at(i + 1) << 8 | at(i + 2));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

std::string foldName(std::string_view name) {
    std::string ascii;
    ascii.reserve(name.size());
    sepa::forEachCodePoint(name, [&](std::uint32_t cp) {
        if (cp < 0x80) {
            char c = static_cast<char>(cp);
            if (c >= 'A' && c <= 'Z') ascii += static_cast<char>(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ascii += c;
            else ascii += ' ';
        } else {
            std::string t;
            if (sepa::appendLatinAscii(cp, t)) {
                for (char c : t) ascii += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            } else {
                ascii += ' ';
            }
        }
    });
    std::string out;
    out.reserve(ascii.size());
    std::size_t i = 0;
    while (i < ascii.size()) {
        while (i < ascii.size() && ascii[i] == ' ') ++i;
        std::size_t b = i;
        while (i < ascii.size() && ascii[i] != ' ') ++i;
        if (b == i) break;
        std::string_view word(ascii.data() + b, i - b);
        if (isNoise(word)) continue;
        if (!out.empty()) out += ' ';
        out.append(word);
    }
    return out;
}

std::vector<std::string> nameTokens(std::string_view folded) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < folded.size()) {
        while (i < folded.size() && folded[i] == ' ') ++i;
        std::size_t b = i;
        while (i < folded.size() && folded[i] != ' ') ++i;
        if (i - b >= 3) {
            std::string w(folded.substr(b, i - b));
            if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
        }
    }
    return out;
}

int nameSimilarity(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) return 0;
    if (a == b) return 100;
    thread_local std::vector<std::uint32_t> ta, tb;
    trigrams(a, ta);
    trigrams(b, tb);
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < ta.size() && j < tb.size();) {
        if (ta[i] < tb[j]) ++i;
        else if (tb[j] < ta[i]) ++j;
        else {
            ++common;
            ++i;
            ++j;
        }
    }
    return static_cast<int>(200 * common / (ta.size() + tb.size()));
}

}  // namespace duegate::core::matching
