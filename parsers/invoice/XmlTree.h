// A small read-only element tree built with Poco's SAX parser, keeping each element's line so
// that invoice errors can be located. Hardened for untrusted input: external general and
// parameter entities off, and any DOCTYPE in the prolog rejected before the parser runs (no DTD
// means no entity expansion tricks). Namespaces are resolved; lookups use local names.
// Bounded: input size, element count and nesting depth (the tree is built, walked and freed
// recursively: a document nested a million deep would overflow the stack). Thread-safety: pure function; results are plain values.
#pragma once

#include "parsers/common/Result.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::invoice {

struct XmlNode {
    std::string name;       // local name
    std::string ns;         // namespace URI
    std::string qname;      // as written ("cbc:ID"), for error messages
    std::string text;       // direct character data, untrimmed
    std::vector<std::pair<std::string, std::string>> attributes;  // local name -> value
    std::size_t line = 0;
    std::vector<std::unique_ptr<XmlNode>> children;

    const XmlNode* child(std::string_view localName) const;
    // "LegalMonetaryTotal/PayableAmount": direct children at each step, first match.
    const XmlNode* path(std::string_view slashPath) const;
    std::vector<const XmlNode*> all(std::string_view localName) const;
    std::string attribute(std::string_view localName) const;
    std::string trimmedText() const;
};

struct XmlLimits {
    std::size_t maxBytes = 20u << 20;
    std::size_t maxElements = 200000;
    std::size_t maxDepth = 64;  // elements open at once, the root counting 1 (UBL needs about 10)
};

// Errors: "line L: field xml: <expat message>", "field xml: DOCTYPE is not allowed",
// "line L: field xml: elements nested deeper than N" (L: the first element past the bound).
Result<std::unique_ptr<XmlNode>> parseXmlTree(std::string_view xml, const XmlLimits& limits = {});

// Offset of a DOCTYPE declaration in the prolog, or npos. Exposed for the sniffers and tests.
std::size_t findDoctype(std::string_view xml);

}  // namespace duegate::parsers::invoice
