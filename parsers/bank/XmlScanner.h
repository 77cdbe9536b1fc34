// A small, strict, streaming XML 1.0 reader (SAX style) for machine-written documents such as
// CAMT: elements, attributes, character data with the five predefined entities and character
// references, CDATA sections, comments and processing instructions.
//
// Why not expat: expat alone capped CAMT at ~150 MB/s here, below the 10x-the-peers goal, and a
// CAMT file needs none of its DTD machinery. Why it is safe: there is no DTD support at all. A
// DOCTYPE is an error, so there is nothing to expand (no billion laughs) and nothing to fetch (no
// external entities); any entity other than the predefined five is an error.
// Well-formedness checked: one root element, matching end tags, quoted attribute values, no
// duplicate attributes, names, entity and character-reference syntax, nothing but whitespace,
// comments and PIs outside the root, no truncation. Encodings: UTF-8 (BOM allowed), US-ASCII;
// ISO-8859-1 is converted to UTF-8; anything else (UTF-16, ...) is refused.
// Bounds: one markup token or text run at most Limits-given bytes; element depth.
// Positions: 1-based line and 0-based byte offset of the current token, for located errors.
// Thread-safety: one scanner per parse.
#pragma once

#include "parsers/common/Result.h"

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::bank {

// Equality for short names without a library call (element names are a few bytes long and
// compared on every tag).
inline bool sameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

struct XmlAttribute {
    std::string_view name;   // qualified, as written ("Ccy", "xmlns:ns2")
    std::string_view value;  // entities decoded, UTF-8
};

class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    // Views are valid during the call only. Text of one element may arrive in several pieces.
    virtual void startElement(std::string_view qname, const std::vector<XmlAttribute>& attributes) = 0;
    virtual void endElement(std::string_view qname) = 0;
    virtual void characters(std::string_view text) = 0;
};

class XmlScanner {
public:
    XmlScanner(std::size_t maxTokenBytes, std::size_t maxDepth) : _maxToken(maxTokenBytes), _maxDepth(maxDepth) {}

    // Reads `in` to the end in chunks, calling the handler. A handler may throw to abort; the
    // scanner holds no resources that need cleaning up beyond its own members.
    std::optional<Error> parse(std::istream& in, XmlHandler& handler);
    // The same over a complete document already in memory (no chunking, no stream).
    std::optional<Error> parse(std::string_view document, XmlHandler& handler);

    std::size_t line();          // of the current token (counts lazily)
    std::size_t offset() const { return _base + _tok; }

private:
    bool fill();                                        // false at end of input
    std::optional<Error> run(XmlHandler& h);
    std::optional<Error> error(std::string field, std::string message);
    std::optional<Error> markup(XmlHandler& h, bool& needMore);
    // Entities -> UTF-8; false when malformed, with the offset of the bad '&' in `bad`.
    bool decode(std::string_view raw, std::string& out, std::size_t& bad);
    std::string_view convert(std::string_view s, std::string& scratch);

    std::istream* _in = nullptr;
    std::size_t _maxToken, _maxDepth;
    // Streaming: one chunk plus the longest token kept from the chunk before.
    std::size_t storeCapacity() const { return (1u << 20) + _maxToken + 4096; }
    std::unique_ptr<char[]> _store;  // streaming input buffer
    std::string_view _buf;           // the input held: the whole document, or _store's filled part; unconsumed from _pos
    std::size_t _pos = 0, _tok = 0;
    std::size_t _base = 0;     // absolute offset of _buf[0]
    std::size_t _line = 1, _counted = 0;  // newlines counted in _buf[0, _counted)
    bool _eof = false, _sawRoot = false, _rootClosed = false, _latin1 = false, _first = true;
    // Names of the open elements, innermost last, in one string (no allocation per element).
    class OpenElements {
    public:
        bool empty() const { return _starts.empty(); }
        std::size_t size() const { return _starts.size(); }
        std::string_view back() const { return std::string_view(_names).substr(_starts.back()); }
        void push(std::string_view name) { _starts.push_back(_names.size()); _names.append(name); }
        void pop() { _names.resize(_starts.back()); _starts.pop_back(); }

    private:
        std::string _names;
        std::vector<std::size_t> _starts;
    };
    OpenElements _stack;
    std::vector<XmlAttribute> _attrs;
    std::string _text, _scratch, _attrScratch;
};

}  // namespace duegate::parsers::bank
