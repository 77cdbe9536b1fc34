// Physical lines of a line-based bank file (CODA, MT940), from a whole buffer or streamed from an
// std::istream through one reused 1 MiB buffer (STACK.md: fresh memory costs a page fault per
// 4 KiB, so large files are read in place, never slurped).
//
// f(line, lineNo, offset) gets each line without its '\n' (a '\r' before it is kept for the
// caller to strip), its 1-based number and the byte offset of its first byte; it returns
// std::optional<Error> and the first Error stops the walk. A line longer than maxLine is an error.
// The view passed to f is valid during the call only.
#pragma once

#include "parsers/common/Result.h"

#include <algorithm>
#include <cstring>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::parsers::bank {

struct LineEnd {
    std::size_t lines = 0;   // number of the last line seen
    std::size_t bytes = 0;   // total input size
};

template <class F>
std::optional<Error> forEachLine(std::string_view bytes, std::size_t maxLine, LineEnd& end, F&& f) {
    std::size_t pos = 0, lineNo = 0;
    while (pos < bytes.size()) {
        const void* nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
        const std::size_t eol = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data()) : bytes.size();
        ++lineNo;
        if (eol - pos > maxLine) return errorAt(lineNo, pos, "line", "line longer than " + std::to_string(maxLine) + " bytes");
        if (auto e = f(bytes.substr(pos, eol - pos), lineNo, pos)) return e;
        pos = eol + 1;
    }
    end.lines = lineNo;
    end.bytes = bytes.size();
    return std::nullopt;
}

template <class F>
std::optional<Error> forEachLine(std::istream& in, std::size_t maxLine, LineEnd& end, F&& f) {
    constexpr std::size_t kChunk = 1u << 20;
    // Uninitialised on purpose: zero-filling a buffer that read() overwrites costs a pass over
    // every byte of the file.
    const std::size_t capacity = kChunk + maxLine + 1;
    const std::unique_ptr<char[]> buf(new char[capacity]);
    std::size_t len = 0;                // bytes held in buf
    std::size_t base = 0, lineNo = 0;  // base: absolute offset of buf[0]
    bool eof = false;
    while (!eof || len > 0) {
        if (!eof) {
            in.read(buf.get() + len, static_cast<std::streamsize>(std::min(kChunk, capacity - len)));
            const auto n = static_cast<std::size_t>(in.gcount());
            len += n;
            if (n == 0) eof = true;
        }
        const std::string_view data(buf.get(), len);
        std::size_t pos = 0;
        while (pos < len) {
            const void* nl = std::memchr(data.data() + pos, '\n', len - pos);
            if (!nl && !eof) break;  // unfinished line: wait for the next chunk
            const std::size_t eol = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data.data()) : len;
            ++lineNo;
            if (eol - pos > maxLine) return errorAt(lineNo, base + pos, "line", "line longer than " + std::to_string(maxLine) + " bytes");
            if (auto e = f(data.substr(pos, eol - pos), lineNo, base + pos)) return e;
            pos = eol + 1;
        }
        if (pos > len) pos = len;
        if (len - pos > maxLine) return errorAt(lineNo + 1, base + pos, "line", "line longer than " + std::to_string(maxLine) + " bytes");
        std::memmove(buf.get(), buf.get() + pos, len - pos);
        len -= pos;
        base += pos;
        if (eof && len == 0) break;
    }
    end.lines = lineNo;
    end.bytes = base;
    return std::nullopt;
}

}  // namespace duegate::parsers::bank
