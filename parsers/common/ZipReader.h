// A Poco::Zip::ZipArchive over an archive held in memory, with a guard against a memory flaw of
// the Poco 1.12 that Debian 12 ships: ZipArchiveInfo64::parse allocates and copies as many bytes as
// a ZIP64 end-of-central-directory record *declares* (a 64-bit field), before reading them, so a
// 100-byte hostile archive can make it touch gigabytes (found by fuzz_statement_zip; upstream later
// reads the record in chunks).
//
// The guard: the directory is parsed from a copy in which every such record's declared length is
// clamped to the bytes that follow it; entries are read from the original bytes. In a well-formed
// archive Poco never lands on a clamped spot that is not the real record (which already fits), so
// valid archives, including ZIP64 ones and those whose compressed data happens to contain the
// signature, read exactly as before; a hostile one costs at most its own size.
//
// Thread-safety: one reader per thread. Errors: the constructor throws what ZipArchive throws
// (Poco::Exception, std::exception); callers turn that into a located Error.
#pragma once

#include <Poco/Zip/ZipArchive.h>

#include <istream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace duegate::parsers {

// The bytes with each ZIP64 end-of-central-directory record's length clamped to what follows it;
// nullopt when no record needed clamping (the copy is then not made).
std::optional<std::string> clampZip64RecordLengths(std::string_view bytes);

class ZipReader {
public:
    explicit ZipReader(std::string_view bytes);

    const Poco::Zip::ZipArchive& archive() const { return *archive_; }

    // The original bytes, for Poco::Zip::ZipInputStream(data(), header, true); clear() is called
    // on it here so a previous entry's end-of-stream does not stop the next one.
    std::istream& data() {
        data_.clear();
        return data_;
    }

private:
    std::istringstream data_;
    std::unique_ptr<std::istringstream> clamped_;  // only when a record had to be clamped
    std::unique_ptr<Poco::Zip::ZipArchive> archive_;
};

}  // namespace duegate::parsers
