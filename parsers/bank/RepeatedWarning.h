// A file-level warning that may repeat once per entry (a 30 February value date, a CODA amount
// with a third decimal): the first few are listed with their line, the rest are counted in one
// closing line, so a file of a million such entries keeps a short warning list and the streaming
// readers stay flat in memory. Each entry also carries its own text in Entry::warnings.
// Thread-safety: one per reader.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace duegate::parsers::bank {

class RepeatedWarning {
public:
    static constexpr std::size_t kListed = 10;

    explicit RepeatedWarning(std::string what) : _what(std::move(what)) {}

    void add(std::vector<std::string>& warnings, std::size_t line, const std::string& message) {
        if (++_count <= kListed) warnings.push_back("line " + std::to_string(line) + ": " + message);
    }

    // At the end of the file: how many were not listed.
    void finish(std::vector<std::string>& warnings) const {
        if (_count > kListed)
            warnings.push_back(std::to_string(_count - kListed) + " more lines with " + _what +
                               " (not listed; each entry's warnings name them)");
    }

private:
    std::string _what;
    std::size_t _count = 0;
};

}  // namespace duegate::parsers::bank
