// A Poco::Zip::ZipArchive over an archive held in memory, with a guard against a memory flaw of
// the Poco 1.12 that Debian 12 ships: ZipArchiveInfo64::parse allocates and copies as many bytes as
// a ZIP64 end-of-central-directory record *declares* (a 64-bit field), before reading them, so a
// 100-byte hostile archive can make it touch gigabytes (found by fuzz_statement_zip; upstream later
// reads the record in chunks).
//
// The guard: the directory is parsed from a copy in which every ZIP64 end-record signature whose
// declared length runs past the end of the input is unmarked (its last byte zeroed), so Poco does
// not take it for a record; entries are read from the original bytes. A real record always fits,
// and in a well-formed archive Poco never lands on the other spots (signatures that happen to sit
// in compressed data), so valid archives, ZIP64 ones included, read exactly as before; a hostile
// one gets Poco's "illegal header" error instead of a huge allocation. (Clamping the length field
// instead was tried first: overlapping signatures, "PK\x06\x06" inside another's length field,
// undid each other's clamp; the fuzzer found it.)
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

// The bytes with each ZIP64 end-of-central-directory signature unmarked whose record declares more
// bytes than follow it; nullopt when there was none (the copy is then not made).
std::optional<std::string> unmarkOversizedZip64Records(std::string_view bytes);

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
    std::unique_ptr<std::istringstream> unmarked_;  // only when a signature had to be unmarked
    std::unique_ptr<Poco::Zip::ZipArchive> archive_;
};

}  // namespace duegate::parsers
