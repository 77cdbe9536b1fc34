#include "gateway/core/templates/TemplateRenderer.h"

#include "gateway/core/templates/EmbeddedTexts.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <set>

namespace duegate::core {
namespace {

namespace mu = kainjow::mustache;

std::string templatePath(Language l, std::string_view name) {
    return "templates/" + std::string(languageCode(l)) + "/" + std::string(name) + ".mustache";
}

parsers::Error templateError(std::string_view name, std::string message) {
    parsers::Error e;
    e.field = "template " + std::string(name);
    e.message = std::move(message);
    return e;
}

// Names used as "{{> name}}" in `text`.
std::vector<std::string> partialNames(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t p = text.find("{{>"); p != std::string_view::npos; p = text.find("{{>", p + 3)) {
        const auto end = text.find("}}", p);
        if (end == std::string_view::npos) break;
        std::string n(text.substr(p + 3, end - p - 3));
        n.erase(0, n.find_first_not_of(' '));
        n.erase(n.find_last_not_of(' ') + 1);
        out.push_back(n);
    }
    return out;
}

mu::data toData(const TemplateData& d) {
    // STACK.md trap: a braced initializer picks the wrong constructor; build the object explicitly.
    mu::object obj;
    for (const auto& [k, v] : d.values) obj.emplace(k, mu::data(v));
    for (const auto& [k, v] : d.flags) obj.emplace(k, mu::data(v ? mu::data::type::bool_true : mu::data::type::bool_false));
    for (const auto& [k, rows] : d.lists) {
        mu::list list;
        for (const auto& row : rows) {
            mu::object item;
            for (const auto& [rk, rv] : row) item.emplace(rk, mu::data(rv));
            list.push_back(mu::data(item));
        }
        obj.emplace(k, mu::data(list));
    }
    return mu::data(obj);
}

std::string renderOne(const std::string& text, const mu::data& data, std::string_view name, std::string& error) {
    mu::mustache tmpl(text);
    if (!tmpl.is_valid()) {
        error = "mustache: " + tmpl.error_message() + " in " + std::string(name);
        return {};
    }
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // plain text, never HTML
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) error = "mustache: " + tmpl.error_message() + " in " + std::string(name);
    return out;
}

}  // namespace

std::optional<std::string> TemplateSet::find(Language l, std::string_view name) const {
    if (override)
        if (auto t = override(l, name)) return t;
    if (auto t = builtinTemplate(l, name)) return std::string(*t);
    return std::nullopt;
}

std::optional<std::string_view> builtinTemplate(Language l, std::string_view name) {
    const std::string path = templatePath(l, name);
    for (const auto& f : embeddedTexts())
        if (f.path == path) return f.text;
    return std::nullopt;
}

std::vector<std::string> builtinTemplateNames(Language l) {
    const std::string prefix = "templates/" + std::string(languageCode(l)) + "/";
    std::vector<std::string> out;
    for (const auto& f : embeddedTexts())
        if (f.path.substr(0, prefix.size()) == prefix && f.path.ends_with(".mustache"))
            out.emplace_back(f.path.substr(prefix.size(), f.path.size() - prefix.size() - 9));
    std::sort(out.begin(), out.end());
    return out;
}

parsers::Result<RenderedText> renderText(const TemplateSet& set, Language l, std::string_view text,
                                         const TemplateData& data) {
    mu::data root = toData(data);
    // Partials, recursively (bounded: a partial including itself is an error, not a loop).
    std::set<std::string> seen;
    std::vector<std::string> todo = partialNames(text);
    while (!todo.empty()) {
        const std::string n = todo.back();
        todo.pop_back();
        if (!seen.insert(n).second) continue;
        if (seen.size() > 32) return templateError(n, "more than 32 partials: a partial includes itself?");
        auto p = set.find(l, n);
        if (!p) return templateError(n, "partial not found for language " + std::string(languageCode(l)));
        for (auto& m : partialNames(*p)) todo.push_back(m);
        const std::string body = *p;
        root.set(n, mu::data(mu::partial([body] { return body; })));
    }
    RenderedText out;
    std::string_view rest = text;
    if (rest.substr(0, 8) == "Subject:") {
        const auto nl = rest.find('\n');
        std::string subjectText(rest.substr(8, nl == std::string_view::npos ? std::string_view::npos : nl - 8));
        subjectText.erase(0, subjectText.find_first_not_of(' '));
        std::string error;
        out.subject = renderOne(subjectText, root, "subject", error);
        if (!error.empty()) return templateError("subject", error);
        while (!out.subject.empty() && (out.subject.back() == '\r' || out.subject.back() == ' ')) out.subject.pop_back();
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (!rest.empty() && rest.front() == '\n') rest.remove_prefix(1);
    }
    std::string error;
    out.body = renderOne(std::string(rest), root, "body", error);
    if (!error.empty()) return templateError("body", error);
    // Sections that rendered empty leave runs of blank lines: keep at most one.
    std::string tidy;
    int blank = 0;
    std::size_t pos = 0;
    while (pos <= out.body.size()) {
        auto nl = out.body.find('\n', pos);
        std::string line = out.body.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        blank = line.empty() ? blank + 1 : 0;
        if (blank <= 1) tidy += line + (nl == std::string::npos ? "" : "\n");
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    while (tidy.size() > 1 && tidy[tidy.size() - 1] == '\n' && tidy[tidy.size() - 2] == '\n') tidy.pop_back();
    out.body = tidy;
    return out;
}

parsers::Result<RenderedText> renderMessage(const TemplateSet& set, Language l, std::string_view name,
                                            const TemplateData& data) {
    auto text = set.find(l, name);
    if (!text) return templateError(name, "no template for language " + std::string(languageCode(l)));
    auto r = renderText(set, l, *text, data);
    if (!r) {
        auto e = r.error();
        e.context = std::string(languageCode(l)) + "/" + std::string(name);
        return e;
    }
    return r;
}

}  // namespace duegate::core
