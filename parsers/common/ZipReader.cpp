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

void writeLe64(std::string& out, std::size_t at, std::uint64_t v) {
    for (std::size_t i = 0; i < kLengthSize && at + i < out.size(); ++i) {
        out[at + i] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
}

}  // namespace

std::optional<std::string> clampZip64RecordLengths(std::string_view bytes) {
    std::optional<std::string> out;
    for (std::size_t at = bytes.find(kZip64EndRecord); at != std::string_view::npos;
         at = bytes.find(kZip64EndRecord, at + 1)) {
        const std::size_t field = at + kZip64EndRecord.size();
        // The declared length counts the bytes after the length field itself; a field cut short
        // by the end of the input is followed by nothing.
        const std::size_t fieldEnd = std::min(field + kLengthSize, bytes.size());
        const std::uint64_t left = bytes.size() - fieldEnd;
        if (readLe64(bytes, field) <= left) continue;
        if (!out) out.emplace(bytes);
        writeLe64(*out, field, left);
    }
    return out;
}

ZipReader::ZipReader(std::string_view bytes) : data_(std::string(bytes)) {
    if (auto clamped = clampZip64RecordLengths(bytes)) clamped_ = std::make_unique<std::istringstream>(std::move(*clamped));
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(clamped_ ? static_cast<std::istream&>(*clamped_) : data_);
}

}  // namespace duegate::parsers
