#include "portal/I18n.h"

#include "portal/EmbeddedFiles.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace duegate::portal::i18n {
namespace {

struct Catalog {
    std::vector<std::string> order;
    std::map<std::string, std::string> texts;
};

std::string strip(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

Catalog parse(const std::string& text) {
    Catalog c;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        const std::string l = strip(line);
        if (l.empty() || l[0] == '#' || l[0] == ';') continue;
        const auto eq = l.find('=');
        if (eq == std::string::npos) continue;
        const std::string key = strip(l.substr(0, eq));
        if (!c.texts.count(key)) c.order.push_back(key);
        // "\n" in a text is a line break (mail bodies); nothing else is an escape.
        std::string value = strip(l.substr(eq + 1));
        for (std::size_t p; (p = value.find("\\n")) != std::string::npos;) value.replace(p, 2, "\n");
        c.texts[key] = value;
    }
    return c;
}

const std::map<std::string, Catalog>& catalogs() {
    static const std::map<std::string, Catalog> all = [] {
        std::map<std::string, Catalog> m;
        for (const auto& f : embeddedPortalFiles())
            if (f.path.rfind("i18n/", 0) == 0 && f.path.size() == 11)  // "i18n/xx.ini"
                m[f.path.substr(5, 2)] = parse(f.text);
        return m;
    }();
    return all;
}

std::string fill(const std::string& text, const Vars& vars) {
    if (vars.empty() || text.find('{') == std::string::npos) return text;
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            const auto close = text.find('}', i);
            if (close != std::string::npos) {
                auto it = vars.find(text.substr(i + 1, close - i - 1));
                if (it != vars.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += text[i];
    }
    return out;
}

const std::string* lookup(const std::string& lang, const std::string& key) {
    const auto& all = catalogs();
    for (const std::string& l : {lang, std::string("en")}) {
        auto c = all.find(l);
        if (c == all.end()) continue;
        auto t = c->second.texts.find(key);
        if (t != c->second.texts.end()) return &t->second;
    }
    return nullptr;
}

}  // namespace

bool isLanguage(const std::string& code) {
    const auto& l = languages();
    return std::find(l.begin(), l.end(), code) != l.end();
}

std::string fromAcceptLanguage(const std::string& header) {
    std::string best;
    double bestQ = 0.0;
    std::size_t pos = 0;
    while (pos <= header.size()) {
        auto comma = header.find(',', pos);
        std::string item = strip(header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
        pos = comma == std::string::npos ? header.size() + 1 : comma + 1;
        double q = 1.0;
        if (auto semi = item.find(';'); semi != std::string::npos) {
            const std::string param = strip(item.substr(semi + 1));
            if (param.rfind("q=", 0) == 0) q = std::strtod(param.c_str() + 2, nullptr);
            item = strip(item.substr(0, semi));
        }
        std::string primary = item.substr(0, item.find('-'));
        for (auto& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (isLanguage(primary) && q > bestQ) {  // first of equal weight wins
            best = primary;
            bestQ = q;
        }
    }
    return best;
}

std::string choose(const std::string& queryLang, const std::optional<std::string>& remembered,
                   const std::string& acceptLanguage) {
    if (isLanguage(queryLang)) return queryLang;
    if (remembered && isLanguage(*remembered)) return *remembered;
    const std::string fromHeader = fromAcceptLanguage(acceptLanguage);
    return fromHeader.empty() ? "en" : fromHeader;
}

std::string text(const std::string& lang, const std::string& key, const Vars& vars) {
    const std::string* t = lookup(lang, key);
    return t ? fill(*t, vars) : key;
}

namespace {

bool hasPlaceholder(const std::string& text) { return text.find('{') != std::string::npos; }

// Per language, the keys whose text (after the en fallback) has a placeholder: built once.
const std::vector<std::pair<std::string, const std::string*>>& placeholderTexts(const std::string& lang) {
    static const std::map<std::string, std::vector<std::pair<std::string, const std::string*>>> all = [] {
        std::map<std::string, std::vector<std::pair<std::string, const std::string*>>> m;
        for (const auto& l : languages()) {
            auto& v = m[l];
            auto en = catalogs().find("en");
            if (en == catalogs().end()) continue;
            std::map<std::string, const std::string*> merged;
            for (const auto& [k, t] : en->second.texts) merged[k] = &t;
            if (auto c = catalogs().find(l); c != catalogs().end())
                for (const auto& [k, t] : c->second.texts) merged[k] = &t;
            for (const auto& [k, t] : merged)
                if (hasPlaceholder(*t)) v.emplace_back(k, t);
        }
        return m;
    }();
    static const std::vector<std::pair<std::string, const std::string*>> none;
    auto it = all.find(lang);
    return it == all.end() ? none : it->second;
}

}  // namespace

kainjow::mustache::object texts(const std::string& lang, const Vars& vars) {
    kainjow::mustache::object o;
    const std::string l = isLanguage(lang) ? lang : "en";
    o[textsLanguageKey] = l;
    for (const auto& [k, t] : placeholderTexts(l)) o[k] = fill(*t, vars);
    return o;
}

const std::string* staticText(const std::string& lang, const std::string& key) {
    const std::string* t = lookup(lang, key);
    return t && !t->empty() && !hasPlaceholder(*t) ? t : nullptr;
}

std::vector<std::string> keys(const std::string& lang) {
    auto c = catalogs().find(lang);
    return c == catalogs().end() ? std::vector<std::string>{} : c->second.order;
}

}  // namespace duegate::portal::i18n
