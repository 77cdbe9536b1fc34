#include "parsers/bank/XmlScanner.h"

#include "parsers/bank/Charset.h"

#include "parsers/common/Utf8.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace duegate::parsers::bank {

namespace {

constexpr std::size_t kChunk = 1u << 20;

// Character classes by table: the scanner asks for every byte of every name.
enum : unsigned char { kSpace = 1, kNameStart = 2, kName = 4 };

constexpr std::array<unsigned char, 256> kClass = [] {
    std::array<unsigned char, 256> t{};
    for (int c = 0; c < 256; ++c) {
        const bool start = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
        const bool name = start || (c >= '0' && c <= '9') || c == '-' || c == '.';
        t[static_cast<std::size_t>(c)] = static_cast<unsigned char>((c == ' ' || c == '\n' || c == '\r' || c == '\t' ? kSpace : 0) |
                                                                    (start ? kNameStart : 0) | (name ? kName : 0));
    }
    return t;
}();

// The next '<': between tags it is usually the very next byte and element values are short, so
// a few bytes are looked at directly before the library call (which pays off on long runs only).
inline const void* findLt(const char* p, std::size_t n) {
    const std::size_t direct = n < 32 ? n : 32;
    for (std::size_t i = 0; i < direct; ++i)
        if (p[i] == '<') return p + i;
    return n > direct ? std::memchr(p + direct, '<', n - direct) : nullptr;
}

inline bool isSpace(char c) { return kClass[static_cast<unsigned char>(c)] & kSpace; }
inline bool isNameStart(char c) { return kClass[static_cast<unsigned char>(c)] & kNameStart; }
inline bool isNameChar(char c) { return kClass[static_cast<unsigned char>(c)] & kName; }

}  // namespace

std::size_t XmlScanner::line() {
    const std::size_t upto = std::min(_tok, _buf.size());
    if (upto > _counted) {
        // memchr hops from newline to newline: machine-written XML has few of them.
        const char* p = _buf.data() + _counted;
        const char* const end = _buf.data() + upto;
        while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr) {
            ++_line;
            ++p;
        }
        _counted = upto;
    }
    return _line;
}

std::optional<Error> XmlScanner::error(std::string field, std::string message) {
    return errorAt(line(), offset(), std::move(field), std::move(message));
}

bool XmlScanner::fill() {
    if (_eof || !_in) {
        _eof = true;
        return false;
    }
    // Drop what is consumed (counting its newlines first), keep the unfinished token.
    if (_pos > 0) {
        _tok = std::min(_tok, _pos);
        line();
        const std::size_t drop = _tok;
        std::memmove(_store.get(), _buf.data() + drop, _buf.size() - drop);
        _buf = std::string_view(_store.get(), _buf.size() - drop);
        _base += drop;
        _pos -= drop;
        _tok -= drop;
        _counted -= std::min(_counted, drop);
    }
    // Uninitialised storage on purpose: zero-filling what read() overwrites costs a pass over
    // every byte. What is kept is at most one token (run() checks the bound before calling).
    if (!_store) _store.reset(new char[storeCapacity()]);
    const std::size_t old = _buf.size();
    _in->read(_store.get() + old, static_cast<std::streamsize>(std::min(kChunk, storeCapacity() - old)));
    const auto n = static_cast<std::size_t>(_in->gcount());
    _buf = std::string_view(_store.get(), old + n);
    if (n == 0) _eof = true;
    return n > 0;
}

bool XmlScanner::decode(std::string_view raw, std::string& out, std::size_t& bad) {
    out.clear();
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto amp = raw.find('&', i);
        if (amp == std::string_view::npos) { out.append(raw.substr(i)); break; }
        out.append(raw.substr(i, amp - i));
        const auto semi = raw.find(';', amp);
        bad = amp;
        if (semi == std::string_view::npos || semi - amp > 12) return false;
        const auto ent = raw.substr(amp + 1, semi - amp - 1);
        if (ent == "lt") out += '<';
        else if (ent == "gt") out += '>';
        else if (ent == "amp") out += '&';
        else if (ent == "quot") out += '"';
        else if (ent == "apos") out += '\'';
        else if (ent.size() >= 2 && ent[0] == '#') {
            unsigned long cp = 0;
            const bool hex = ent[1] == 'x';
            const auto digits = ent.substr(hex ? 2 : 1);
            if (digits.empty()) return false;
            for (char c : digits) {
                int d;
                if (c >= '0' && c <= '9') d = c - '0';
                else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
                else return false;
                cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(d);
                if (cp > 0x10FFFF) return false;
            }
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
            appendUtf8(out, cp);
        } else {
            return false;  // no DTD, so no other entity can be defined
        }
        i = semi + 1;
    }
    return true;
}

std::string_view XmlScanner::convert(std::string_view s, std::string& scratch) {
    if (!_latin1) return s;
    scratch = toUtf8(s, Charset::Latin1);
    return scratch;
}

std::optional<Error> XmlScanner::parse(std::istream& in, XmlHandler& h) {
    _in = &in;
    fill();
    return run(h);
}

std::optional<Error> XmlScanner::parse(std::string_view document, XmlHandler& h) {
    _in = nullptr;
    _buf = document;  // read in place
    _eof = true;
    return run(h);
}

std::optional<Error> XmlScanner::run(XmlHandler& h) {
    if (_buf.starts_with("\xEF\xBB\xBF")) _pos = 3;
    else if (_buf.starts_with("\xFE\xFF") || _buf.starts_with("\xFF\xFE"))
        return error("encoding", "UTF-16 is not supported; CAMT is UTF-8");
    while (true) {
        _tok = _pos;
        const char* start = _buf.data() + _pos;
        const void* lt = findLt(start, _buf.size() - _pos);
        const std::size_t end = lt ? static_cast<std::size_t>(static_cast<const char*>(lt) - _buf.data()) : _buf.size();
        if (end > _pos) {
            // Character data. Outside the root only whitespace may appear.
            std::string_view raw(_buf.data() + _pos, end - _pos);
            if (!lt && !_eof) {
                // The run continues in the next chunk; keep an unfinished entity for later.
                const auto amp = raw.rfind('&');
                // (An entity is at most 12 bytes; a longer unterminated one is an error below.)
                if (amp != std::string_view::npos && raw.size() - amp <= 12 && raw.find(';', amp) == std::string_view::npos)
                    raw = raw.substr(0, amp);
            }
            if (_stack.empty()) {
                for (std::size_t k = 0; k < raw.size(); ++k)
                    if (!isSpace(raw[k])) {
                        _tok = _pos + k;  // located at the offending character, however the input was chunked
                        return error("xml", _rootClosed ? "text after the root element" : "text before the root element");
                    }
            } else if (!raw.empty()) {
                if (raw.find('&') == std::string_view::npos) {
                    h.characters(convert(raw, _attrScratch));
                } else {
                    std::size_t bad = 0;
                    if (!decode(raw, _text, bad)) {
                        _tok = _pos + bad;  // at the '&', however the input was chunked
                        return error("xml", "malformed or undefined entity reference");
                    }
                    h.characters(convert(_text, _attrScratch));
                }
            }
            _pos += raw.size();
            _tok = _pos;
        }
        if (!lt) {
            // At the end of input, bytes held back above (an unfinished entity) are read once more
            // as final text, so the stream reports what the whole-buffer parse does.
            if (!fill() && _pos >= _buf.size()) break;
            continue;
        }
        bool needMore = false;
        if (auto e = markup(h, needMore)) return e;
        if (needMore) {
            if (_buf.size() - _tok > _maxToken) return error("xml", "markup longer than the limit");
            if (_eof) return error("xml", "unexpected end of document inside markup (truncated?)");
            // At the end of input the token is looked at once more with _eof set, so the stream
            // reports what the whole-buffer parse does (e.g. "unexpected '<!'" for a short "<!x").
            fill();
        }
    }
    _tok = _pos;
    if (!_sawRoot) return error("xml", "no root element");
    if (!_stack.empty()) {
        const std::string open(_stack.back());
        return error(open, "unexpected end of document: <" + open + "> not closed (truncated?)");
    }
    return std::nullopt;
}

// Handles one markup token at _pos ('<'); sets needMore when it is not complete in the buffer.
std::optional<Error> XmlScanner::markup(XmlHandler& h, bool& needMore) {
    const std::string_view rest(_buf.data() + _pos, _buf.size() - _pos);
    const bool first = _first;
    _first = false;
    // Too few bytes to tell the token kind: wait for more, unless the input has ended.
    auto need = [&](std::size_t n) { if (rest.size() < n && !_eof) { needMore = true; _first = first; return true; } return false; };
    if (need(2)) return std::nullopt;
    if (rest.size() < 2) return error("xml", "unexpected end of document inside markup (truncated?)");
    if (rest[1] == '!') {
        if (need(9)) return std::nullopt;
        if (rest.starts_with("<!--")) {
            const auto e = rest.find("-->", 4);
            if (e == std::string_view::npos) { needMore = true; return std::nullopt; }
            _pos += e + 3;
            return std::nullopt;
        }
        if (rest.starts_with("<![CDATA[")) {
            if (_stack.empty()) return error("xml", "CDATA outside the root element");
            const auto e = rest.find("]]>", 9);
            if (e == std::string_view::npos) { needMore = true; return std::nullopt; }
            h.characters(convert(rest.substr(9, e - 9), _attrScratch));
            _pos += e + 3;
            return std::nullopt;
        }
        if (rest.starts_with("<!DOCTYPE")) return error("DOCTYPE", "a document type declaration is not allowed in CAMT");
        return error("xml", "unexpected '<!'");
    }
    if (rest[1] == '?') {
        const auto e = rest.find("?>", 2);
        if (e == std::string_view::npos) { needMore = true; _first = first; return std::nullopt; }
        const auto pi = rest.substr(2, e - 2);
        if (pi.starts_with("xml") && (pi.size() == 3 || isSpace(pi[3]))) {
            if (!first || _base + _pos > 3) return error("xml", "XML declaration not at the start of the document");
            const auto enc = pi.find("encoding");
            if (enc != std::string_view::npos) {
                auto q = pi.find_first_of("\"'", enc);
                const auto q2 = q == std::string_view::npos ? q : pi.find(pi[q], q + 1);
                if (q2 == std::string_view::npos) return error("xml", "malformed XML declaration");
                std::string name(pi.substr(q + 1, q2 - q - 1));
                for (auto& c : name) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
                if (name == "iso-8859-1" || name == "latin1" || name == "iso_8859-1") _latin1 = true;
                else if (name != "utf-8" && name != "utf8" && name != "us-ascii" && name != "ascii")
                    return error("encoding", "unsupported encoding '" + name + "'");
            }
        }
        _pos += e + 2;
        return std::nullopt;
    }
    if (rest[1] == '/') {
        std::size_t e;
        std::string_view name;
        // Fast path: machine-written end tags are "</" + the open element's name + ">".
        if (const auto open = _stack.empty() ? std::string_view() : _stack.back();
            !open.empty() && rest.size() > open.size() + 2 && rest[open.size() + 2] == '>' && sameName(rest.substr(2, open.size()), open)) {
            e = open.size() + 2;
            name = rest.substr(2, open.size());
        } else {
            e = rest.find('>', 2);
            if (e == std::string_view::npos) { needMore = true; return std::nullopt; }
            name = rest.substr(2, e - 2);
            while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);
            if (_stack.empty() || !sameName(name, _stack.back()))
                return error("xml", "end tag </" + std::string(name) + "> does not match " +
                                        (_stack.empty() ? std::string("any open element") : "<" + std::string(_stack.back()) + ">"));
        }
        h.endElement(name);
        _stack.pop();
        if (_stack.empty()) _rootClosed = true;
        _pos += e + 1;
        return std::nullopt;
    }
    // Start tag: find its '>' outside quoted attribute values.
    std::size_t i = 1;
    while (i < rest.size() && isNameChar(rest[i])) ++i;
    if (i >= rest.size()) { needMore = true; return std::nullopt; }
    const std::string_view name = rest.substr(1, i - 1);
    if (name.empty() || !isNameStart(name[0])) return error("xml", "malformed element name");
    _attrs.clear();
    _attrScratch.clear();
    // Attribute values that need decoding are stored here; reserve so views stay valid.
    std::vector<std::string> decoded;
    bool selfClosing = false;
    while (true) {
        const std::size_t ws = i;
        while (i < rest.size() && isSpace(rest[i])) ++i;
        if (i >= rest.size()) { needMore = true; return std::nullopt; }
        if (rest[i] == '>') { ++i; break; }
        if (rest[i] == '/') {
            if (i + 1 >= rest.size()) { needMore = true; return std::nullopt; }
            if (rest[i + 1] != '>') return error("xml", "malformed start tag <" + std::string(name) + ">");
            selfClosing = true;
            i += 2;
            break;
        }
        if (i == ws) return error("xml", "attributes must be separated by whitespace in <" + std::string(name) + ">");
        const std::size_t an = i;
        while (i < rest.size() && isNameChar(rest[i])) ++i;
        const std::string_view aname = rest.substr(an, i - an);
        while (i < rest.size() && isSpace(rest[i])) ++i;
        if (i >= rest.size()) { needMore = true; return std::nullopt; }
        if (aname.empty() || !isNameStart(aname[0]) || rest[i] != '=') return error("xml", "malformed attribute in <" + std::string(name) + ">");
        ++i;
        while (i < rest.size() && isSpace(rest[i])) ++i;
        if (i >= rest.size()) { needMore = true; return std::nullopt; }
        const char q = rest[i];
        if (q != '"' && q != '\'') return error("xml", "attribute value must be quoted in <" + std::string(name) + ">");
        const auto close = rest.find(q, i + 1);
        if (close == std::string_view::npos) { needMore = true; return std::nullopt; }
        std::string_view value = rest.substr(i + 1, close - i - 1);
        if (value.find('<') != std::string_view::npos) return error("xml", "'<' in an attribute value");
        if (value.find('&') != std::string_view::npos || _latin1) {
            std::string d;
            std::size_t bad = 0;
            if (!decode(value, d, bad)) return error("xml", "malformed or undefined entity reference in an attribute");
            if (_latin1) d = toUtf8(d, Charset::Latin1);
            decoded.push_back(std::move(d));
        }
        for (const auto& a : _attrs)
            if (a.name == aname) return error("xml", "duplicate attribute '" + std::string(aname) + "'");
        _attrs.push_back({aname, value});
        i = close + 1;
    }
    // Point decoded values at their (now stable) storage.
    if (!decoded.empty()) {
        std::size_t k = 0;
        for (auto& a : _attrs)
            if (a.value.find('&') != std::string_view::npos || _latin1) a.value = decoded[k++];
    }
    if (_stack.empty() && _rootClosed) return error("xml", "a second root element");
    if (_stack.size() >= _maxDepth) return error(std::string(name), "XML nested too deeply");
    _sawRoot = true;
    _stack.push(name);
    h.startElement(name, _attrs);
    if (selfClosing) {
        h.endElement(name);
        _stack.pop();
        if (_stack.empty()) _rootClosed = true;
    }
    _pos += i;
    return std::nullopt;
}

}  // namespace duegate::parsers::bank
