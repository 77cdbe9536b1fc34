#include "parsers/common/ZipReader.h"

#include <algorithm>
#include <cstdint>

namespace duegate::parsers {

namespace {

constexpr std::string_view kZip64EndRecord{"PK\x06\x06", 4};
constexpr std::size_t kLengthSize = 8;  // "size of zip64 end of central directory record"

// Little-endian, as Poco reads it: bytes past the end of the input count as zero (Poco zeroes its
// header buffer before a read that may come up short).
std::uint64_t readLe64(std::string_view bytes, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = kLengthSize; i-- > 0;)
        v = (v << 8) | (at + i < bytes.size() ? static_cast<unsigned char>(bytes[at + i]) : 0u);
    return v;
}

}  // namespace

std::optional<std::string> unmarkOversizedZip64Records(std::string_view bytes) {
    std::optional<std::string> out;
    for (std::size_t at = bytes.find(kZip64EndRecord); at != std::string_view::npos;
         at = bytes.find(kZip64EndRecord, at + 1)) {
        const std::size_t field = at + kZip64EndRecord.size();
        // The declared length counts the bytes after the length field itself; a field cut short
        // by the end of the input is followed by nothing.
        const std::size_t fieldEnd = std::min(field + kLengthSize, bytes.size());
        if (readLe64(bytes, field) <= bytes.size() - fieldEnd) continue;
        if (!out) out.emplace(bytes);
        // Only the signature's last byte changes: no signature can start inside another one
        // ('P' is none of "K\x06\x06"), and a record whose length field held this signature now
        // declares less, so every other record keeps fitting.
        (*out)[at + kZip64EndRecord.size() - 1] = '\0';
    }
    return out;
}

ZipReader::ZipReader(std::string_view bytes) : data_(std::string(bytes)) {
    if (auto unmarked = unmarkOversizedZip64Records(bytes)) unmarked_ = std::make_unique<std::istringstream>(std::move(*unmarked));
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(unmarked_ ? static_cast<std::istream&>(*unmarked_) : data_);
}

}  // namespace duegate::parsers
