// TNEF (application/ms-tnef, "winmail.dat"): Outlook's wrapper around a message's attachments.
// We only need the files inside: each attachment's title (8.3 or long name from the MAPI
// properties) and data. Everything else (RTF body, message properties) is skipped.
// Bounded: at most `maxFiles` files; every length is checked against the remaining input.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::mime {

struct TnefFile {
    std::string filename;  // long name when present (PR_ATTACH_LONG_FILENAME), else attAttachTitle; UTF-8
    std::string mimeType;  // PR_ATTACH_MIME_TAG when present, else empty
    std::string bytes;
};

struct TnefResult {
    std::vector<TnefFile> files;
    std::string error;        // empty when the whole stream was read
    std::size_t errorOffset = 0;
};

bool looksLikeTnef(std::string_view bytes);
TnefResult decodeTnef(std::string_view bytes, std::size_t maxFiles);

}  // namespace duegate::parsers::mime
