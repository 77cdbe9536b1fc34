#include "parsers/bank/References.h"

#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

namespace duegate::parsers::bank {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool isAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace

Reference classifyStructuredReference(std::string_view text) {
    text = trim(text);
    if (text.empty()) return {};
    if (auto d = refs::parseOgm(text)) return {Reference::Kind::Ogm, refs::formatOgm(*d)};
    if (auto rf = refs::parseRf(text)) return {Reference::Kind::Rf, *rf};
    return {Reference::Kind::Other, std::string(text)};
}

Reference findReferenceInText(std::string_view text) {
    // Framed OGM: +++ddd/dddd/ddddd+++ or ***...***, spaces allowed inside.
    for (char frame : {'+', '*'}) {
        const std::string open(3, frame);
        std::size_t pos = 0;
        while ((pos = text.find(open, pos)) != std::string_view::npos) {
            const std::size_t close = text.find(open, pos + 3);
            if (close == std::string_view::npos || close - pos > 40) break;
            if (auto d = refs::parseOgm(text.substr(pos, close + 3 - pos)))
                return {Reference::Kind::Ogm, refs::formatOgm(*d)};
            pos += 3;
        }
    }
    // RF token: "RF" + 2 digits + alphanumerics, at a word boundary.
    for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
        if ((text[i] != 'R' && text[i] != 'r') || (text[i + 1] != 'F' && text[i + 1] != 'f')) continue;
        if (i > 0 && isAlnum(text[i - 1])) continue;
        std::size_t j = i + 2;
        while (j < text.size() && isAlnum(text[j]) && j - i < 26) ++j;
        if (auto rf = refs::parseRf(text.substr(i, j - i))) return {Reference::Kind::Rf, *rf};
    }
    return {};
}

}  // namespace duegate::parsers::bank
