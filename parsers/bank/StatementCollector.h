// Puts what a streaming reader hands over (entries, then their finished statement) back together
// into a StatementFile. The whole-buffer CAMT entry point is built on it, and the tests and fuzz
// targets use it to compare streaming with whole-buffer reading.
// Thread-safety: one collector per parse.
#pragma once

#include "parsers/bank/Statement.h"

#include <string>
#include <utility>
#include <vector>

namespace duegate::parsers::bank {

class StatementCollector {
public:
    explicit StatementCollector(std::string format) { _file.format = std::move(format); }
    StatementCollector(const StatementCollector&) = delete;
    StatementCollector& operator=(const StatementCollector&) = delete;

    // Callbacks that fill this collector; it must outlive the parse they are given to.
    StatementCallbacks callbacks() {
        StatementCallbacks cb;
        cb.onEntry = [this](const Statement&, Entry&& e) { _pending.push_back(std::move(e)); };
        cb.onStatement = [this](Statement&& s) {
            s.entries = std::move(_pending);
            _pending.clear();
            _file.statements.push_back(std::move(s));
        };
        return cb;
    }

    // The file, with version, charset and warnings taken from the stream's summary.
    StatementFile finish(StreamSummary&& summary) {
        _file.version = std::move(summary.version);
        _file.charset = std::move(summary.charset);
        _file.warnings = std::move(summary.warnings);
        return std::move(_file);
    }

private:
    StatementFile _file;
    std::vector<Entry> _pending;
};

}  // namespace duegate::parsers::bank
