#include "gateway/services/dunning/DunningSetup.h"

#include "gateway/core/PolicyParser.h"
#include "gateway/core/templates/EmbeddedTexts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace duegate::services::dunning {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void addPolicy(std::vector<core::Policy>& out, std::string_view text, const std::string& source) {
    auto p = core::parsePolicy(text);
    if (!p) throw std::runtime_error("dunning policy " + source + ": " + p.error().toString());
    auto same = std::find_if(out.begin(), out.end(), [&](const core::Policy& q) { return q.name == p->name; });
    if (same != out.end()) *same = std::move(p).value();  // a file in policies_dir replaces the shipped one
    else out.push_back(std::move(p).value());
}

bool plainName(std::string_view n) {
    if (n.empty() || n.size() > 100 || n.front() == '.') return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    });
}

}  // namespace

DunningSetup loadDunningSetup(const std::string& policiesDir, const std::string& templatesDir, core::TimeZone zone) {
    DunningSetup s;
    s.zone = zone;
    s.templatesDir = templatesDir;
    for (const auto& f : core::embeddedTexts())
        if (f.path.substr(0, 9) == "policies/") addPolicy(s.policies, f.text, "config/" + std::string(f.path));
    if (!policiesDir.empty()) {
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(policiesDir))
            if (e.is_regular_file() && e.path().extension() == ".ini") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) addPolicy(s.policies, readFile(f).value_or(""), f.string());
    }
    return s;
}

std::optional<core::TimeZone> parseTimeZone(std::string_view name) {
    if (name == "Europe/Brussels") return core::TimeZone::EuropeBrussels;
    if (name == "Europe/Amsterdam") return core::TimeZone::EuropeAmsterdam;
    return std::nullopt;
}

core::TemplateSet templatesFor(const DunningSetup& setup, std::int64_t creditorId) {
    core::TemplateSet set;
    if (setup.templatesDir.empty()) return set;
    const fs::path dir = setup.templatesDir;
    set.override = [dir, creditorId](core::Language l, std::string_view name) -> std::optional<std::string> {
        if (!plainName(name)) return std::nullopt;
        const std::string file = std::string(name) + ".mustache";
        const std::string lang(core::languageCode(l));
        if (auto t = readFile(dir / std::to_string(creditorId) / lang / file)) return t;
        return readFile(dir / lang / file);
    };
    return set;
}

const DunningSetup& setupOf(const Context& ctx) {
    if (ctx.dunning) return *ctx.dunning;
    static const DunningSetup builtin = loadDunningSetup("", "", core::TimeZone::EuropeBrussels);
    return builtin;
}

const core::Policy* policyByName(const DunningSetup& setup, std::string_view name) {
    for (const auto& p : setup.policies)
        if (p.name == name) return &p;
    return nullptr;
}

}  // namespace duegate::services::dunning
