// The two ways to run a line-based statement reader (CODA, MT940), written once.
//
// A Reader is constructed as Reader(limits, charset, callbacks*) and offers
// line(text, lineNo, offset) -> std::optional<Error>, finish(LineEnd) -> std::optional<Error>,
// file(), statementCount(), entryCount(). CharsetOf decides the charset from a byte sample.
// parseWholeBuffer keeps every statement in memory; parseFromStream hands entries to the
// callbacks as they are read and returns a summary (memory flat in file size). The stream must be
// seekable: the charset is decided on its first 1 MiB, then it is read from the start.
#pragma once

#include "parsers/bank/LineSource.h"
#include "parsers/bank/Statement.h"

#include <istream>
#include <string>
#include <string_view>

namespace duegate::parsers::bank {

template <class Reader, class CharsetOf>
Result<StatementFile> parseWholeBuffer(std::string_view bytes, const Limits& limits, CharsetOf charsetOf) {
    if (bytes.size() > limits.maxInputBytes) return errorAtOffset(0, "input", "file larger than the limit");
    Reader reader(limits, charsetOf(bytes), nullptr);
    LineEnd end;
    if (auto e = forEachLine(bytes, limits.maxLineBytes, end,
                             [&](std::string_view l, std::size_t n, std::size_t o) { return reader.line(l, n, o); }))
        return *e;
    if (auto e = reader.finish(end)) return *e;
    return std::move(reader.file());
}

template <class Reader, class CharsetOf>
Result<StreamSummary> parseFromStream(std::istream& in, const StatementCallbacks& callbacks, const Limits& limits,
                                      CharsetOf charsetOf) {
    std::string head(1u << 20, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    // A multi-byte sequence cut at the end of a full sample is not evidence against UTF-8.
    const std::size_t sample = head.size() == (1u << 20) ? head.size() - 3 : head.size();
    const auto charset = charsetOf(std::string_view(head).substr(0, sample));
    in.clear();
    in.seekg(0);
    Reader reader(limits, charset, &callbacks);
    LineEnd end;
    if (auto e = forEachLine(in, limits.maxLineBytes, end,
                             [&](std::string_view l, std::size_t n, std::size_t o) { return reader.line(l, n, o); }))
        return *e;
    if (auto e = reader.finish(end)) return *e;
    StreamSummary summary;
    summary.version = reader.file().version;
    summary.charset = reader.file().charset;
    summary.statements = reader.statementCount();
    summary.entries = reader.entryCount();
    summary.warnings = std::move(reader.file().warnings);
    return summary;
}

}  // namespace duegate::parsers::bank
