// The registry of input formats that `duegate parse` (and the ingest path) can read.
//
// Each format registers {name, sniff, toJson} (and, for statement formats, writeJson). sniff looks
// at the content only (never a file name) and must be cheap: it decides from the first bytes
// (`duegate parse` gives it the first 1 MiB of a large file before deciding to stream it).
// Formats are tried in registration order, so a module registers its specific formats before
// generic ones (CSV last). toJson returns the canonical JSON documented in docs/formats.md, or a
// located Error. Modules add their formats through one function each (registerBankFormats,
// registerInvoiceFormats), called by whoever builds the registry: no static-initialisation magic.
// Thread-safety: build once, then read from any thread.
#pragma once

#include "parsers/common/Result.h"

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers {

struct Format {
    std::string name;
    std::function<bool(std::string_view bytes)> sniff;
    std::function<Result<std::string>(std::string_view bytes)> toJson;
    // Optional, for inputs too large to hold: the same JSON as toJson, from a seekable stream to
    // `out`, in memory bounded by one entry. Nothing is written to `out` unless the whole input
    // is valid (the error is returned instead).
    std::function<std::optional<Error>(std::istream& in, std::ostream& out)> writeJson = {};
};

class FormatRegistry {
public:
    void add(Format format);
    const Format* byName(std::string_view name) const;
    // The first registered format whose sniff accepts the bytes, or nullptr.
    const Format* sniff(std::string_view bytes) const;
    std::vector<std::string> names() const;

private:
    std::vector<Format> _formats;
};

}  // namespace duegate::parsers
