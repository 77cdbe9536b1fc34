#include "parsers/common/FormatRegistry.h"

namespace duegate::parsers {

void FormatRegistry::add(Format format) { _formats.push_back(std::move(format)); }

const Format* FormatRegistry::byName(std::string_view name) const {
    for (const auto& f : _formats)
        if (f.name == name) return &f;
    return nullptr;
}

const Format* FormatRegistry::sniff(std::string_view bytes) const {
    for (const auto& f : _formats)
        if (f.sniff && f.sniff(bytes)) return &f;
    return nullptr;
}

std::vector<std::string> FormatRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& f : _formats) out.push_back(f.name);
    return out;
}

}  // namespace duegate::parsers
