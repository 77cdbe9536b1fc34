#include "parsers/common/ZipReader.h"

#include <cstdint>
#include <cstring>

namespace duegate::parsers {

namespace {

constexpr std::string_view kZip64EndRecord{"PK\x06\x06", 4};
constexpr std::size_t kLengthSize = 8;  // "size of zip64 end of central directory record"

std::uint64_t readLe64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

void writeLe64(char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        p[i] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
}

}  // namespace

std::optional<std::string> clampZip64RecordLengths(std::string_view bytes) {
    std::optional<std::string> out;
    for (std::size_t at = bytes.find(kZip64EndRecord); at != std::string_view::npos;
         at = bytes.find(kZip64EndRecord, at + 1)) {
        const std::size_t field = at + kZip64EndRecord.size();
        if (bytes.size() - field < kLengthSize) break;
        // The declared length counts the bytes after the length field itself.
        const std::uint64_t left = bytes.size() - field - kLengthSize;
        if (readLe64(bytes.data() + field) <= left) continue;
        if (!out) out.emplace(bytes);
        writeLe64(out->data() + field, left);
    }
    return out;
}

ZipReader::ZipReader(std::string_view bytes) : data_(std::string(bytes)) {
    if (auto clamped = clampZip64RecordLengths(bytes)) clamped_ = std::make_unique<std::istringstream>(std::move(*clamped));
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(clamped_ ? static_cast<std::istream&>(*clamped_) : data_);
}

}  // namespace duegate::parsers
