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

void setOgm(Reference& out, std::string_view twelve) {
    out.kind = Reference::Kind::Ogm;
    out.value.assign("+++");
    out.value.append(twelve.substr(0, 3)).append(1, '/').append(twelve.substr(3, 4)).append(1, '/');
    out.value.append(twelve.substr(7, 5)).append("+++");
}

void set(Reference& out, Reference::Kind kind, std::string_view value) {
    out.kind = kind;
    out.value.assign(value);
}

}  // namespace

void classifyStructuredReference(std::string_view text, Reference& out) {
    text = trim(text);
    if (text.empty()) return set(out, Reference::Kind::None, {});
    if (auto d = refs::parseOgm(text)) return setOgm(out, *d);
    if (auto rf = refs::parseRf(text)) return set(out, Reference::Kind::Rf, *rf);
    set(out, Reference::Kind::Other, text);
}

void findReferenceInText(std::string_view text, Reference& out) {
    // Framed OGM: +++ddd/dddd/ddddd+++ or ***...***, spaces allowed inside.
    for (const char* open : {"+++", "***"}) {
        std::size_t pos = 0;
        while ((pos = text.find(open, pos)) != std::string_view::npos) {
            const std::size_t close = text.find(open, pos + 3);
            if (close == std::string_view::npos || close - pos > 40) break;
            if (auto d = refs::parseOgm(text.substr(pos, close + 3 - pos))) return setOgm(out, *d);
            pos += 3;
        }
    }
    // RF token: "RF" + 2 digits + alphanumerics, at a word boundary.
    for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
        if ((text[i] != 'R' && text[i] != 'r') || (text[i + 1] != 'F' && text[i + 1] != 'f')) continue;
        if (i > 0 && isAlnum(text[i - 1])) continue;
        std::size_t j = i + 2;
        while (j < text.size() && isAlnum(text[j]) && j - i < 26) ++j;
        if (auto rf = refs::parseRf(text.substr(i, j - i))) return set(out, Reference::Kind::Rf, *rf);
    }
    set(out, Reference::Kind::None, {});
}

void InvalidIbanWarnings::add(std::vector<std::string>& warnings, std::size_t line, std::string_view account) {
    if (_seen.size() >= 100 || _seen.contains(account)) return;
    _seen.emplace(account);
    warnings.push_back("line " + std::to_string(line) + ": account '" + std::string(account) + "' is not a valid IBAN (masked?)");
}

Reference classifyStructuredReference(std::string_view text) {
    Reference r;
    classifyStructuredReference(text, r);
    return r;
}

Reference findReferenceInText(std::string_view text) {
    Reference r;
    findReferenceInText(text, r);
    return r;
}

}  // namespace duegate::parsers::bank
