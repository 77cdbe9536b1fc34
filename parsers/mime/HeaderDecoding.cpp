#include "parsers/mime/HeaderDecoding.h"

#include "parsers/mime/Charset.h"
#include "parsers/mime/TransferDecoding.h"

#include <cctype>

namespace duegate::parsers::mime {
namespace {

bool isWsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// One encoded word "=?charset?B|Q?text?=" starting at s[i]; on success sets end and the decoded
// text (converted to UTF-8).
bool decodeWordAt(std::string_view s, std::size_t i, std::size_t& end, std::string& out, bool* unknown) {
    if (s.substr(i, 2) != "=?") return false;
    const auto q1 = s.find('?', i + 2);
    if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
    const char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
    if (enc != 'B' && enc != 'Q') return false;
    const auto close = s.find("?=", q1 + 3);
    if (close == std::string_view::npos) return false;
    std::string_view charset = s.substr(i + 2, q1 - i - 2);
    if (const auto star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);  // RFC 2231 language
    const std::string_view text = s.substr(q1 + 3, close - q1 - 3);
    if (text.find_first_of(" \t") != std::string_view::npos) return false;
    std::string bytes;
    if (enc == 'B') {
        decodeBase64(text, bytes);
    } else {
        for (std::size_t k = 0; k < text.size(); ++k) {
            if (text[k] == '_') bytes += ' ';
            else if (text[k] == '=' && k + 2 < text.size() &&
                     hexValue(text[k + 1]) >= 0 && hexValue(text[k + 2]) >= 0) {
                bytes += static_cast<char>(hexValue(text[k + 1]) * 16 + hexValue(text[k + 2]));
                k += 2;
            } else bytes += text[k];
        }
    }
    auto conv = toUtf8(bytes, charset);
    if (!conv.known && unknown) *unknown = true;
    out += conv.text;
    end = close + 2;
    return true;
}

}  // namespace

std::string toLowerAscii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trimView(std::string_view s) {
    while (!s.empty() && isWsp(s.front())) s.remove_prefix(1);
    while (!s.empty() && isWsp(s.back())) s.remove_suffix(1);
    return s;
}

std::string decodeHeaderText(std::string_view raw, bool* unknownCharset) {
    if (raw.find("=?") == std::string_view::npos) return utf8OrWindows1252(raw);
    std::string out;
    std::string pendingSpace;  // whitespace after an encoded word, dropped if another one follows
    bool lastWasWord = false;
    std::size_t i = 0;
    std::size_t plainStart = 0;
    auto flushPlain = [&](std::size_t upto) {
        if (upto > plainStart) {
            out += pendingSpace;
            out += utf8OrWindows1252(raw.substr(plainStart, upto - plainStart));
            pendingSpace.clear();
            lastWasWord = false;
        }
    };
    while (i < raw.size()) {
        std::size_t end = 0;
        std::string word;
        if (raw[i] == '=' && decodeWordAt(raw, i, end, word, unknownCharset)) {
            // Whitespace-only run between two encoded words is dropped.
            std::string_view between = raw.substr(plainStart, i - plainStart);
            if (lastWasWord && trimView(between).empty()) {
                pendingSpace.clear();
            } else {
                flushPlain(i);
                out += pendingSpace;
                pendingSpace.clear();
            }
            out += word;
            lastWasWord = true;
            i = end;
            plainStart = i;
            continue;
        }
        ++i;
    }
    flushPlain(raw.size());
    return out;
}

HeaderParams splitHeaderParams(std::string_view raw) {
    HeaderParams hp;
    std::size_t i = 0;
    auto readUntilSemicolon = [&](bool valueMode) {
        std::string out;
        bool quoted = false;
        while (i < raw.size()) {
            const char c = raw[i];
            if (quoted) {
                // Only \" and \\ are unescaped: Windows paths ("C:\TEMP\x.png") keep their backslashes,
                // as mail clients show them.
                if (c == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) { out += raw[i + 1]; i += 2; continue; }
                if (c == '"') { quoted = false; ++i; continue; }
                out += c; ++i; continue;
            }
            if (c == ';') break;
            if (c == '"' && valueMode) { quoted = true; ++i; continue; }
            out += c;
            ++i;
        }
        return out;
    };
    hp.value = toLowerAscii(trimView(readUntilSemicolon(false)));
    // Content-Type "text/plain (comment)": drop comments after the value.
    if (const auto paren = hp.value.find('('); paren != std::string::npos) hp.value = std::string(trimView(hp.value.substr(0, paren)));
    while (i < raw.size()) {
        ++i;  // the ';'
        const std::size_t start = i;
        while (i < raw.size() && raw[i] != '=' && raw[i] != ';') ++i;
        std::string name = toLowerAscii(trimView(raw.substr(start, i - start)));
        if (i >= raw.size() || raw[i] == ';') {
            continue;  // "; ;" or a name without value: ignored
        }
        ++i;  // '='
        while (i < raw.size() && isWsp(raw[i])) ++i;
        const bool quotedValue = i < raw.size() && raw[i] == '"';
        std::string value = readUntilSemicolon(true);
        // Blanks inside quotes belong to the value (RFC 2231 continuations rely on it).
        std::string_view v = value;
        while (!v.empty() && isWsp(v.back())) v.remove_suffix(1);
        if (!quotedValue) v = trimView(v);
        if (!name.empty()) hp.params.emplace_back(std::move(name), std::string(v));
    }
    return hp;
}

std::optional<std::string> headerParam(const HeaderParams& p, std::string_view name, bool* unknownCharset) {
    const std::string n = toLowerAscii(name);
    // Plain form first.
    for (const auto& [k, v] : p.params)
        if (k == n) return decodeHeaderText(v, unknownCharset);
    // RFC 2231 "name*" (one piece with charset) or "name*0", "name*0*", "name*1", ...
    std::string charset;
    auto pctDecode = [](std::string_view s) {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
                out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
                i += 2;
            } else out += s[i];
        }
        return out;
    };
    auto splitCharset = [&](std::string_view v, std::string& cs) -> std::string_view {
        const auto q1 = v.find('\'');
        if (q1 == std::string_view::npos) return v;
        const auto q2 = v.find('\'', q1 + 1);
        if (q2 == std::string_view::npos) return v;
        cs = std::string(v.substr(0, q1));
        return v.substr(q2 + 1);
    };
    for (const auto& [k, v] : p.params) {
        if (k == n + "*") {
            std::string cs;
            std::string bytes = pctDecode(splitCharset(v, cs));
            auto conv = toUtf8(bytes, cs);
            if (!conv.known && unknownCharset) *unknownCharset = true;
            return conv.text;
        }
    }
    std::string bytes;
    bool found = false;
    for (int idx = 0; idx < 1000; ++idx) {
        const std::string plain = n + "*" + std::to_string(idx);
        const std::string ext = plain + "*";
        bool got = false;
        for (const auto& [k, v] : p.params) {
            if (k == ext) {
                std::string_view body = v;
                if (idx == 0) body = splitCharset(v, charset);
                bytes += pctDecode(body);
                got = true;
                break;
            }
            if (k == plain) {
                bytes += v;
                got = true;
                break;
            }
        }
        if (!got) break;
        found = true;
    }
    if (!found) return std::nullopt;
    auto conv = toUtf8(bytes, charset);
    if (!conv.known && unknownCharset) *unknownCharset = true;
    // Some senders put RFC 2047 words into continuations too.
    return decodeHeaderText(conv.text, unknownCharset);
}

std::vector<Address> parseAddressList(std::string_view raw) {
    std::vector<Address> out;
    // Split at top-level commas (outside quotes, <> and comments); groups "name: a, b;" flattened.
    std::vector<std::string> items;
    std::string cur;
    bool quoted = false;
    int angle = 0, paren = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (quoted) {
            cur += c;
            if (c == '\\' && i + 1 < raw.size()) { cur += raw[++i]; continue; }
            if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') quoted = true;
        else if (c == '<') ++angle;
        else if (c == '>' && angle > 0) --angle;
        else if (c == '(') ++paren;
        else if (c == ')' && paren > 0) --paren;
        else if ((c == ',' || c == ';') && angle == 0 && paren == 0) {
            items.push_back(cur);
            cur.clear();
            continue;
        } else if (c == ':' && angle == 0 && paren == 0) {
            // "Group name:" -> drop the group name
            cur.clear();
            continue;
        }
        cur += c;
    }
    items.push_back(cur);
    for (const auto& itemRaw : items) {
        std::string_view item = trimView(itemRaw);
        if (item.empty()) continue;
        Address a;
        const auto lt = item.rfind('<');
        const auto gt = item.rfind('>');
        if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
            a.address = std::string(trimView(item.substr(lt + 1, gt - lt - 1)));
            std::string_view name = trimView(item.substr(0, lt));
            std::string unq;
            bool q = false;
            for (std::size_t i = 0; i < name.size(); ++i) {
                if (name[i] == '\\' && q && i + 1 < name.size()) { unq += name[++i]; continue; }
                if (name[i] == '"') { q = !q; continue; }
                unq += name[i];
            }
            a.name = decodeHeaderText(trimView(unq));
        } else {
            // "addr (Comment Name)" or a bare address.
            std::string_view rest = item;
            const auto lp = rest.find('(');
            if (lp != std::string_view::npos) {
                const auto rp = rest.rfind(')');
                if (rp != std::string_view::npos && rp > lp)
                    a.name = decodeHeaderText(trimView(rest.substr(lp + 1, rp - lp - 1)));
                rest = trimView(rest.substr(0, lp));
            }
            a.address = std::string(rest);
        }
        if (!a.address.empty() && a.address.front() == '"' && a.address.back() == '"' && a.address.size() >= 2)
            a.address = a.address.substr(1, a.address.size() - 2);
        if (a.address.empty() && a.name.empty()) continue;
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace duegate::parsers::mime
