#include "portal/Templates.h"

#include "portal/EmbeddedFiles.h"
#include "portal/Html.h"

#include <map>
#include <memory>
#include <stdexcept>

namespace duegate::portal {
namespace {

const std::string* embedded(const std::string& path) {
    static const std::map<std::string, const std::string*> index = [] {
        std::map<std::string, const std::string*> m;
        for (const auto& f : embeddedPortalFiles()) m[f.path] = &f.text;
        return m;
    }();
    auto it = index.find(path);
    return it == index.end() ? nullptr : it->second;
}

}  // namespace

std::string renderTemplate(const std::string& name, const kainjow::mustache::data& data) {
    // kainjow's render() is not const: one parsed copy per thread.
    thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        const std::string* text = embedded("templates/" + name + ".mustache");
        if (!text) throw std::logic_error("portal template missing: " + name);
        auto t = std::make_unique<kainjow::mustache::mustache>(*text);
        if (!t->is_valid()) throw std::logic_error("portal template " + name + ": " + t->error_message());
        // One escaping rule on every page, templated or not (Html.h).
        t->set_custom_escape([](const std::string& s) { return escapeHtml(s); });
        it = cache.emplace(name, std::move(t)).first;
    }
    std::string out = it->second->render(data);
    if (!it->second->error_message().empty())
        throw std::logic_error("portal template " + name + ": " + it->second->error_message());
    return out;
}

const std::string* staticFile(const std::string& name) { return embedded("templates/" + name); }

}  // namespace duegate::portal
