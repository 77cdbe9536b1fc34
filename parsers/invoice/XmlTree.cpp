#include "parsers/invoice/XmlTree.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/XML/XMLException.h>

namespace duegate::parsers::invoice {
namespace {

class TreeBuilder : public Poco::XML::ContentHandler {
public:
    TreeBuilder(std::size_t maxElements, std::size_t maxDepth) : _maxElements(maxElements), _maxDepth(maxDepth) {}
    std::unique_ptr<XmlNode> root;
    bool tooMany = false, tooDeep = false;
    std::size_t limitLine = 0;

    void setDocumentLocator(const Poco::XML::Locator* loc) override { _loc = loc; }
    void startDocument() override {}
    void endDocument() override {}
    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString& qname, const Poco::XML::Attributes& attrs) override {
        if (++_count > _maxElements) {
            tooMany = true;
            limitLine = line();
            throw Poco::XML::SAXException("too many elements");
        }
        if (_stack.size() >= _maxDepth) {
            tooDeep = true;
            limitLine = line();
            throw Poco::XML::SAXException("nested too deep");
        }
        auto node = std::make_unique<XmlNode>();
        node->name = localName;
        node->ns = uri;
        node->qname = qname;
        node->line = line();
        for (int i = 0; i < attrs.getLength(); ++i) node->attributes.emplace_back(attrs.getLocalName(i), attrs.getValue(i));
        XmlNode* raw = node.get();
        if (_stack.empty()) root = std::move(node);
        else _stack.back()->children.push_back(std::move(node));
        _stack.push_back(raw);
    }
    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
        if (!_stack.empty()) _stack.pop_back();
    }
    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (!_stack.empty()) _stack.back()->text.append(ch + start, static_cast<std::size_t>(length));
    }
    void ignorableWhitespace(const Poco::XML::XMLChar[], int, int) override {}
    void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void endPrefixMapping(const Poco::XML::XMLString&) override {}
    void skippedEntity(const Poco::XML::XMLString&) override {}

private:
    std::size_t line() const { return _loc ? static_cast<std::size_t>(_loc->getLineNumber()) : 0; }
    const Poco::XML::Locator* _loc = nullptr;
    std::vector<XmlNode*> _stack;
    std::size_t _count = 0;
    std::size_t _maxElements;
    std::size_t _maxDepth;
};

}  // namespace

const XmlNode* XmlNode::child(std::string_view localName) const {
    for (const auto& c : children)
        if (c->name == localName) return c.get();
    return nullptr;
}

const XmlNode* XmlNode::path(std::string_view p) const {
    const XmlNode* n = this;
    while (n && !p.empty()) {
        const auto slash = p.find('/');
        n = n->child(p.substr(0, slash));
        p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash + 1);
    }
    return n;
}

std::vector<const XmlNode*> XmlNode::all(std::string_view localName) const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children)
        if (c->name == localName) out.push_back(c.get());
    return out;
}

std::string XmlNode::attribute(std::string_view localName) const {
    for (const auto& [k, v] : attributes)
        if (k == localName) return v;
    return {};
}

std::string XmlNode::trimmedText() const {
    std::size_t b = 0, e = text.size();
    while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r' || text[b] == '\n')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r' || text[e - 1] == '\n')) --e;
    return text.substr(b, e - b);
}

std::size_t findDoctype(std::string_view xml) {
    std::size_t i = 0;
    if (xml.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < xml.size()) {
        const char c = xml[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') { ++i; continue; }
        if (xml.substr(i, 2) == "<?") {
            const auto e = xml.find("?>", i + 2);
            if (e == std::string_view::npos) return std::string_view::npos;
            i = e + 2;
            continue;
        }
        if (xml.substr(i, 4) == "<!--") {
            const auto e = xml.find("-->", i + 4);
            if (e == std::string_view::npos) return std::string_view::npos;
            i = e + 3;
            continue;
        }
        if (xml.substr(i, 9) == "<!DOCTYPE" || xml.substr(i, 9) == "<!doctype") return i;
        return std::string_view::npos;  // the root element (or garbage) starts here
    }
    return std::string_view::npos;
}

Result<std::unique_ptr<XmlNode>> parseXmlTree(std::string_view xml, const XmlLimits& limits) {
    if (xml.size() > limits.maxBytes)
        return errorAtOffset(limits.maxBytes, "xml", "larger than " + std::to_string(limits.maxBytes) + " bytes");
    if (const auto dt = findDoctype(xml); dt != std::string_view::npos)
        return errorAtOffset(dt, "xml", "DOCTYPE is not allowed (no DTDs or entities in invoices)");
    // Belt and braces: a DOCTYPE after a byte-order mark in another encoding, or one the prolog
    // scan did not see, is still refused by expat since entities stay unexpanded and external
    // ones are never fetched.
    TreeBuilder builder(limits.maxElements, limits.maxDepth);
    Poco::XML::SAXParser parser;
    try {
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setContentHandler(&builder);
        parser.parseMemoryNP(xml.data(), xml.size());
    } catch (const Poco::Exception& e) {
        if (builder.tooMany)
            return errorAtLine(builder.limitLine, "xml", "more than " + std::to_string(limits.maxElements) + " elements");
        if (builder.tooDeep)
            return errorAtLine(builder.limitLine, "xml", "elements nested deeper than " + std::to_string(limits.maxDepth));
        // Poco's SAXParseException text carries expat's message, line and column.
        std::size_t line = 0;
        if (const auto* spe = dynamic_cast<const Poco::XML::SAXParseException*>(&e)) line = static_cast<std::size_t>(spe->getLineNumber());
        return errorAtLine(line, "xml", e.message().empty() ? e.displayText() : e.message());
    }
    if (!builder.root) return errorAtOffset(0, "xml", "no root element");
    return std::move(builder.root);
}

}  // namespace duegate::parsers::invoice
