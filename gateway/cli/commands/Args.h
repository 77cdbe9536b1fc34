// Command-line arguments after the command words: positionals, `--key value`, `--key=value` and
// bare flags (`--staff`). An option followed by another option, or by nothing, is a flag; a value
// that starts with '-' and a digit ("-12.50") is a value, not an option.
// Thread-safety: plain value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::cli {

class Args {
public:
    Args(const std::vector<std::string>& words);

    const std::vector<std::string>& positional() const { return _positional; }
    std::optional<std::string> get(const std::string& key) const;
    std::string getOr(const std::string& key, const std::string& fallback) const;
    // Every value of an option that may be repeated (`--sender a --sender b`), in order.
    std::vector<std::string> getAll(const std::string& key) const;
    bool flag(const std::string& key) const;
    bool has(const std::string& key) const { return _options.count(key) > 0; }
    // Names of options that are not in `known`, to report a typo instead of ignoring it.
    std::vector<std::string> unknown(const std::vector<std::string>& known) const;

private:
    std::vector<std::string> _positional;
    std::map<std::string, std::optional<std::string>> _options;  // the last value wins
    std::vector<std::pair<std::string, std::string>> _values;     // every `--key value`, in order
};

// Thrown by commands for bad usage or bad input: main prints the message and exits 2.
struct UsageError {
    std::string message;
};

}  // namespace duegate::cli
