#include "gateway/core/matching/ReferenceScan.h"

#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <algorithm>

namespace duegate::core::matching {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool isJoiner(char c) { return c == ' ' || c == '/' || c == '.' || c == '-' || c == '+' || c == '*'; }

// Groups separated by at most this many joiner characters belong to one run ("123 / 4567").
constexpr std::size_t kMaxJoin = 3;

struct Group {
    std::size_t begin, end;  // [begin, end) in the text
};

void addUnique(std::vector<FoundReference>& out, FoundReference ref) {
    for (const FoundReference& f : out)
        if (f.value == ref.value) return;
    out.push_back(std::move(ref));
}

// One run of digit groups: every window of whole groups with 12 digits and a valid check is an
// OGM; windows of 10 digits not overlapping such an OGM are bases.
void scanRun(std::string_view text, const std::vector<Group>& run, std::vector<FoundReference>& out) {
    std::vector<std::pair<std::size_t, std::size_t>> ogmWindows;  // group index ranges [i, j]
    std::vector<std::pair<std::size_t, std::size_t>> baseWindows;
    std::string digits;
    for (std::size_t i = 0; i < run.size(); ++i) {
        digits.clear();
        for (std::size_t j = i; j < run.size(); ++j) {
            digits.append(text.substr(run[j].begin, run[j].end - run[j].begin));
            if (digits.size() > 12) break;
            if (digits.size() == 12 && parsers::refs::isValidOgmDigits(digits)) ogmWindows.emplace_back(i, j);
            else if (digits.size() == 10) baseWindows.emplace_back(i, j);
        }
    }
    // Report in the order written: merge both kinds by their first group.
    std::vector<std::pair<std::size_t, FoundReference>> found;
    auto windowDigits = [&](std::size_t i, std::size_t j) {
        std::string d;
        for (std::size_t k = i; k <= j; ++k) d.append(text.substr(run[k].begin, run[k].end - run[k].begin));
        return d;
    };
    for (auto [i, j] : ogmWindows)
        found.push_back({i, FoundReference{FoundReference::Kind::Ogm, windowDigits(i, j), run[i].begin}});
    for (auto [i, j] : baseWindows) {
        bool overlaps = std::any_of(ogmWindows.begin(), ogmWindows.end(),
                                    [&](auto w) { return !(j < w.first || i > w.second); });
        if (overlaps) continue;
        std::string base = windowDigits(i, j);
        auto ogm = parsers::refs::ogmFromBase(base);
        if (!ogm) continue;
        auto twelve = parsers::refs::parseOgm(*ogm);
        if (!twelve) continue;
        found.push_back({i, FoundReference{FoundReference::Kind::OgmBase, *twelve, run[i].begin}});
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& f : found) addUnique(out, std::move(f.second));
}

// Digit groups, split into runs where the gap is not a short stretch of joiners.
void scanOgms(std::string_view text, std::vector<FoundReference>& out) {
    std::vector<Group> run;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!isDigit(text[i])) {
            ++i;
            continue;
        }
        std::size_t b = i;
        while (i < text.size() && isDigit(text[i])) ++i;
        Group g{b, i};
        if (!run.empty()) {
            std::size_t gapBegin = run.back().end;
            bool joined = b - gapBegin <= kMaxJoin;
            for (std::size_t k = gapBegin; joined && k < b; ++k) joined = isJoiner(text[k]);
            if (!joined) {
                scanRun(text, run, out);
                run.clear();
            }
        }
        run.push_back(g);
    }
    if (!run.empty()) scanRun(text, run, out);
}

// "RF" + 2 check digits at a word start, then alphanumerics in chunks separated by single blanks;
// every chunk boundary that gives a valid RF is a reading.
void scanRfs(std::string_view text, std::vector<FoundReference>& out) {
    for (std::size_t i = 0; i + 4 < text.size() + 1; ++i) {
        if (upper(text[i]) != 'R' || i + 1 >= text.size() || upper(text[i + 1]) != 'F') continue;
        if (i > 0 && isAlnum(text[i - 1])) continue;
        std::size_t p = i + 2;
        if (p < text.size() && text[p] == ' ') ++p;  // "RF 18 ..."
        if (p + 1 >= text.size() || !isDigit(text[p]) || !isDigit(text[p + 1])) continue;
        std::string rf = "RF";
        rf += text[p];
        rf += text[p + 1];
        p += 2;
        if (p < text.size() && text[p] == ' ') ++p;
        std::vector<std::size_t> boundaries;
        while (p < text.size() && rf.size() < 25) {
            if (isAlnum(text[p])) {
                rf += upper(text[p]);
                ++p;
                if (p == text.size() || !isAlnum(text[p])) boundaries.push_back(rf.size());
            } else if (text[p] == ' ' && p + 1 < text.size() && isAlnum(text[p + 1]) && rf.size() > 4) {
                ++p;
            } else {
                break;
            }
        }
        if (rf.size() > 25 && !boundaries.empty() && boundaries.back() > 25) boundaries.pop_back();
        for (std::size_t len : boundaries) {
            if (len > 25) break;
            auto v = parsers::refs::parseRf(std::string_view(rf).substr(0, len));
            if (v) addUnique(out, FoundReference{FoundReference::Kind::Rf, *v, i});
        }
    }
}

}  // namespace

std::vector<FoundReference> findReferences(std::string_view text) {
    std::vector<FoundReference> out;
    if (text.empty()) return out;
    scanOgms(text, out);
    bool hasR = false;
    for (char c : text) hasR |= (c == 'R' || c == 'r');
    if (hasR) scanRfs(text, out);
    std::stable_sort(out.begin(), out.end(),
                     [](const FoundReference& a, const FoundReference& b) { return a.offset < b.offset; });
    return out;
}

std::optional<std::string> canonicalReference(std::string_view text) {
    if (text.empty()) return std::nullopt;
    if (auto ogm = parsers::refs::parseOgm(text)) return ogm;
    if (auto rf = parsers::refs::parseRf(text)) return rf;
    return std::nullopt;
}

}  // namespace duegate::core::matching
