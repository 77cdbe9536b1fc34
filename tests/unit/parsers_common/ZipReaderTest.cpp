// The ZIP reader's guard against a ZIP64 end record that declares more bytes than the archive
// holds (Poco 1.12 allocates and copies the declared length; see ZipReader.h).
#include "parsers/common/ZipReader.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipStream.h>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <sstream>
#include <string>

using namespace duegate::parsers;

namespace {

std::string le64(std::uint64_t v) {
    std::string s(8, '\0');
    for (auto& c : s) {
        c = static_cast<char>(v & 0xff);
        v >>= 8;
    }
    return s;
}

const std::string kSignature{"PK\x06\x06", 4};

// A ZIP with one entry stored uncompressed, so its bytes appear verbatim in the archive.
std::string storedZip(const std::string& name, const std::string& content) {
    std::ostringstream out;
    Poco::Zip::Compress c(out, true);
    std::istringstream in(content);
    c.addFile(in, Poco::DateTime(2026, 1, 1), name, Poco::Zip::ZipCommon::CM_STORE, Poco::Zip::ZipCommon::CL_NORMAL);
    c.close();
    return out.str();
}

std::string readEntry(ZipReader& zip, const std::string& name) {
    const auto it = zip.archive().findHeader(name);
    BOOST_REQUIRE(it != zip.archive().headerEnd());
    Poco::Zip::ZipInputStream in(zip.data(), it->second, true);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(zip_reader)

BOOST_AUTO_TEST_CASE(a_record_longer_than_the_archive_is_clamped_to_what_follows) {
    const std::string bytes = "xx" + kSignature + le64(0x0606060606060606ull) + std::string(20, 'z');
    const auto clamped = clampZip64RecordLengths(bytes);
    BOOST_REQUIRE(clamped.has_value());
    BOOST_TEST(clamped->size() == bytes.size());
    BOOST_TEST(clamped->substr(6, 8) == le64(20));
    BOOST_TEST(clamped->substr(0, 6) == bytes.substr(0, 6));
    BOOST_TEST(clamped->substr(14) == bytes.substr(14));
}

BOOST_AUTO_TEST_CASE(a_length_cut_short_by_the_end_reads_as_zero_padded_and_is_clamped_to_zero) {
    // Poco zero-fills what a short read leaves: "\0\0\0\x33\x40" is 0x4033000000 (275 GB); the
    // fuzzer's second finding.
    const std::string bytes = "PK\x03\x04" + kSignature + std::string("\0\0\0\x33\x40", 5);
    const auto clamped = clampZip64RecordLengths(bytes);
    BOOST_REQUIRE(clamped.has_value());
    BOOST_TEST(clamped->size() == bytes.size());
    BOOST_TEST(clamped->substr(8) == std::string(5, '\0'));
    BOOST_CHECK_THROW(ZipReader{bytes}, Poco::Exception);
}

BOOST_AUTO_TEST_CASE(records_that_fit_need_no_copy) {
    BOOST_TEST(!clampZip64RecordLengths("").has_value());
    BOOST_TEST(!clampZip64RecordLengths(kSignature).has_value());
    BOOST_TEST(!clampZip64RecordLengths(kSignature + le64(4) + "abcd").has_value());
    BOOST_TEST(!clampZip64RecordLengths(kSignature + std::string(7, '\0')).has_value());
    // Every occurrence is looked at, not only the first.
    const std::string two = kSignature + le64(0) + kSignature + le64(1000) + "abc";
    const auto clamped = clampZip64RecordLengths(two);
    BOOST_REQUIRE(clamped.has_value());
    BOOST_TEST(clamped->substr(16, 8) == le64(3));
}

BOOST_AUTO_TEST_CASE(a_hostile_record_after_the_archive_is_an_error_not_an_allocation) {
    // Poco reads headers one after the other, so a ZIP64 record appended to a valid archive is
    // parsed; unguarded, it allocates ~128 TiB (bad_alloc, or an abort under the sanitizers).
    const std::string zip = storedZip("a.txt", "hello") + kSignature + le64(0x7fffffffffffull) + std::string(64, '\x60');
    BOOST_CHECK_THROW(ZipReader{zip}, Poco::Exception);
}

BOOST_AUTO_TEST_CASE(entries_are_read_from_the_original_bytes) {
    // The entry's content holds the signature and a huge length; the directory copy clamps it,
    // the entry must still read back byte for byte (and pass its CRC check).
    const std::string content = "before " + kSignature + le64(0xffffffffffffffffull) + " after";
    const std::string zip = storedZip("statement.txt", content);
    BOOST_REQUIRE(clampZip64RecordLengths(zip).has_value());
    ZipReader reader(zip);
    BOOST_TEST(readEntry(reader, "statement.txt") == content);
    BOOST_TEST(readEntry(reader, "statement.txt") == content);  // a second read starts afresh
}

BOOST_AUTO_TEST_SUITE_END()
