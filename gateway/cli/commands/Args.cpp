#include "gateway/cli/commands/Args.h"

#include <cctype>

namespace duegate::cli {
namespace {

bool isOption(const std::string& w) {
    if (w.size() < 3 || w[0] != '-' || w[1] != '-') return false;
    return true;
}

bool looksLikeNegativeNumber(const std::string& w) {
    return w.size() >= 2 && w[0] == '-' && std::isdigit(static_cast<unsigned char>(w[1]));
}

}  // namespace

Args::Args(const std::vector<std::string>& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (!isOption(w)) {
            _positional.push_back(w);
            continue;
        }
        std::string name = w.substr(2);
        const auto eq = name.find('=');
        if (eq != std::string::npos) {
            _options[name.substr(0, eq)] = name.substr(eq + 1);
            _values.emplace_back(name.substr(0, eq), name.substr(eq + 1));
            continue;
        }
        if (i + 1 < words.size() && (!isOption(words[i + 1]) || looksLikeNegativeNumber(words[i + 1]))) {
            _options[name] = words[++i];
            _values.emplace_back(name, words[i]);
        } else {
            _options[name] = std::nullopt;
        }
    }
}

std::optional<std::string> Args::get(const std::string& key) const {
    auto it = _options.find(key);
    if (it == _options.end()) return std::nullopt;
    return it->second;
}

std::string Args::getOr(const std::string& key, const std::string& fallback) const {
    auto v = get(key);
    return v ? *v : fallback;
}

std::vector<std::string> Args::getAll(const std::string& key) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : _values)
        if (k == key) out.push_back(v);
    return out;
}

bool Args::flag(const std::string& key) const { return _options.count(key) > 0; }

std::vector<std::string> Args::unknown(const std::vector<std::string>& known) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : _options) {
        bool found = false;
        for (const auto& n : known) found = found || n == k;
        if (!found) out.push_back("--" + k);
    }
    return out;
}

}  // namespace duegate::cli
