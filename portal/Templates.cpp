#include "portal/Templates.h"

#include "portal/EmbeddedFiles.h"
#include "portal/Html.h"
#include "portal/I18n.h"

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
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

bool isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The template source with every {{t.key}} / {{{t.key}}} / {{&t.key}} whose catalog text is static
// (i18n::staticText) replaced by that text, HTML-escaped unless the tag was unescaped: what
// kainjow would have written for it from the `t` object (escape = escapeHtml, as set below).
// Anything else (other tags, texts with placeholders, unknown keys) stays a tag and is rendered
// from the data as before. A template that changes its delimiters is left whole.
std::string withStaticTexts(const std::string& src, const std::string& lang) {
    if (src.find("{{=") != std::string::npos) return src;
    std::string out;
    out.reserve(src.size() + src.size() / 2);
    std::size_t pos = 0;
    while (true) {
        const auto open = src.find("{{", pos);
        if (open == std::string::npos) break;
        std::size_t i = open + 2;
        bool raw = false;
        std::string close = "}}";
        if (i < src.size() && src[i] == '{') { raw = true; close = "}}}"; ++i; }
        else if (i < src.size() && src[i] == '&') { raw = true; ++i; }
        while (i < src.size() && src[i] == ' ') ++i;
        const std::string* text = nullptr;
        std::size_t end = std::string::npos;
        if (src.compare(i, 2, "t.") == 0) {
            std::size_t k = i + 2;
            while (k < src.size() && isKeyChar(src[k])) ++k;
            const std::string key = src.substr(i + 2, k - i - 2);
            while (k < src.size() && src[k] == ' ') ++k;
            if (!key.empty() && src.compare(k, close.size(), close) == 0 &&
                (close.size() == 3 || k + 2 >= src.size() || src[k + 2] != '}')) {
                text = i18n::staticText(lang, key);
                end = k + close.size();
            }
        }
        if (!text) {  // not ours: copy the tag opener and go on after it
            const std::size_t skip = src.compare(open, 3, "{{{") == 0 ? 3 : 2;
            out.append(src, pos, open + skip - pos);
            pos = open + skip;
            continue;
        }
        out.append(src, pos, open - pos);
        out += raw ? *text : escapeHtml(*text);
        pos = end;
    }
    out.append(src, pos, std::string::npos);
    return out;
}

}  // namespace

std::string renderTemplate(const std::string& name, const kainjow::mustache::data& data) {
    // The language of the catalog object `t` (i18n::texts), if the page passed one: its static
    // texts are part of the parsed template for that language.
    std::string lang;
    if (const auto* t = data.is_object() ? data.get("t") : nullptr; t && t->is_object())
        if (const auto* l = t->get(i18n::textsLanguageKey); l && l->is_string()) lang = l->string_value();
    // kainjow's render() is not const: one parsed copy per thread and language.
    thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> cache;
    const std::string cacheKey = name + '/' + lang;
    auto it = cache.find(cacheKey);
    if (it == cache.end()) {
        const std::string* text = embedded("templates/" + name + ".mustache");
        if (!text) throw std::logic_error("portal template missing: " + name);
        auto t = std::make_unique<kainjow::mustache::mustache>(lang.empty() ? *text : withStaticTexts(*text, lang));
        if (!t->is_valid()) throw std::logic_error("portal template " + name + ": " + t->error_message());
        // One escaping rule on every page, templated or not (Html.h).
        t->set_custom_escape([](const std::string& s) { return escapeHtml(s); });
        it = cache.emplace(cacheKey, std::move(t)).first;
    }
    std::string out = it->second->render(data);
    if (!it->second->error_message().empty())
        throw std::logic_error("portal template " + name + ": " + it->second->error_message());
    return out;
}

RowTemplate::RowTemplate(const std::string& source, const std::vector<std::string>& fields) {
    auto fieldOf = [&](const std::string& name) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            if (fields[i] == name) return i;
        throw std::logic_error("row template: unknown field " + name);
    };
    std::size_t pos = 0;
    std::size_t open = std::string::npos;  // the section being filled
    while (pos < source.size()) {
        const auto tag = source.find("{{", pos);
        if (tag != pos) {
            _segments.push_back({Kind::Text, source.substr(pos, tag - pos)});
            if (tag == std::string::npos) break;
        }
        const bool triple = source.compare(tag, 3, "{{{") == 0;
        const auto close = source.find(triple ? "}}}" : "}}", tag);
        if (close == std::string::npos) throw std::logic_error("row template: unclosed tag");
        std::string inner = source.substr(tag + (triple ? 3 : 2), close - tag - (triple ? 3 : 2));
        pos = close + (triple ? 3 : 2);
        while (!inner.empty() && inner.back() == ' ') inner.pop_back();
        while (!inner.empty() && inner.front() == ' ') inner.erase(0, 1);
        if (triple || inner.empty() || std::string("#^/&!>=").find(inner.front()) == std::string::npos) {
            _segments.push_back({triple ? Kind::Raw : Kind::Escaped, {}, fieldOf(inner)});
        } else if (inner.front() == '&') {
            _segments.push_back({Kind::Raw, {}, fieldOf(inner.substr(1))});
        } else if (inner.front() == '#' || inner.front() == '^') {
            if (open != std::string::npos) throw std::logic_error("row template: nested section " + inner);
            open = _segments.size();
            _segments.push_back({inner.front() == '#' ? Kind::IfSet : Kind::IfEmpty, inner.substr(1), fieldOf(inner.substr(1))});
        } else if (inner.front() == '/') {
            if (open == std::string::npos || _segments[open].text != inner.substr(1))
                throw std::logic_error("row template: unmatched " + inner);
            _segments[open].end = _segments.size();
            _segments.push_back({Kind::End, {}});
            open = std::string::npos;
        } else {
            throw std::logic_error("row template: unsupported tag " + inner);
        }
    }
    if (open != std::string::npos) throw std::logic_error("row template: unclosed section");
}

void RowTemplate::render(std::string& out, const std::string_view* values) const {
    for (std::size_t i = 0; i < _segments.size(); ++i) {
        const Segment& s = _segments[i];
        switch (s.kind) {
        case Kind::Text: out += s.text; break;
        case Kind::Escaped: appendEscapedHtml(out, values[s.field]); break;
        case Kind::Raw: out += values[s.field]; break;
        case Kind::IfSet: if (values[s.field].empty()) i = s.end; break;
        case Kind::IfEmpty: if (!values[s.field].empty()) i = s.end; break;
        case Kind::End: break;
        }
    }
}

const RowTemplate& rowTemplate(const std::string& name, const std::string& lang, const std::vector<std::string>& fields) {
    thread_local std::map<std::string, std::unique_ptr<RowTemplate>> cache;
    const std::string key = name + '/' + lang;
    auto it = cache.find(key);
    if (it == cache.end()) {
        const std::string* text = embedded("templates/" + name + ".mustache");
        if (!text) throw std::logic_error("portal template missing: " + name);
        std::string source = lang.empty() ? *text : withStaticTexts(*text, lang);
        if (!source.empty() && source.back() == '\n') source.pop_back();
        it = cache.emplace(key, std::make_unique<RowTemplate>(source, fields)).first;
    }
    return *it->second;
}

std::string Frame::marker(std::size_t slot) {
    if (slot >= kMaxSlots) throw std::logic_error("frame: too many slots");
    return std::string{'\x01', static_cast<char>('A' + slot), 'e'};
}

std::string Frame::rawMarker(std::size_t slot) {
    if (slot >= kMaxSlots) throw std::logic_error("frame: too many slots");
    return std::string{'\x01', static_cast<char>('A' + slot), 'r'};
}

Frame::Frame(const std::string& rendered) {
    std::size_t pos = 0;
    for (;;) {
        const auto at = rendered.find('\x01', pos);
        Piece p;
        p.text = rendered.substr(pos, at == std::string::npos ? std::string::npos : at - pos);
        _fixed += p.text.size();
        if (at == std::string::npos) {
            p.slot = kMaxSlots;
            _pieces.push_back(std::move(p));
            return;
        }
        if (at + 2 >= rendered.size()) throw std::logic_error("frame: cut marker");
        const char slot = rendered[at + 1];
        const char kind = rendered[at + 2];
        if (slot < 'A' || slot >= static_cast<char>('A' + kMaxSlots) || (kind != 'e' && kind != 'r'))
            throw std::logic_error("frame: bad marker");
        p.slot = static_cast<std::size_t>(slot - 'A');
        p.raw = kind == 'r';
        _pieces.push_back(std::move(p));
        pos = at + 3;
    }
}

void Frame::render(std::string& out, const std::string_view* values) const {
    for (const Piece& p : _pieces) {
        out += p.text;
        if (p.slot == kMaxSlots) break;
        if (p.raw) out += values[p.slot];
        else appendEscapedHtml(out, values[p.slot]);
    }
}

const Frame& frame(const std::string& key, const std::function<std::string()>& build) {
    // One process-wide set (a frame is immutable once built; per thread, 64 pool threads would each
    // keep every shape). Read under a shared lock; a missing one is built outside any lock, and if
    // two threads build the same shape the first one stored is kept.
    static std::shared_mutex mutex;
    static std::map<std::string, std::unique_ptr<const Frame>, std::less<>> frames;
    {
        std::shared_lock lock(mutex);
        if (auto it = frames.find(key); it != frames.end()) return *it->second;
    }
    auto built = std::make_unique<const Frame>(build());
    std::unique_lock lock(mutex);
    return *frames.emplace(key, std::move(built)).first->second;
}

const std::string* staticFile(const std::string& name) { return embedded("templates/" + name); }

}  // namespace duegate::portal
