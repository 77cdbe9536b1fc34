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

const std::string kUnmarked{"PK\x06\x00", 4};

BOOST_AUTO_TEST_CASE(a_record_longer_than_the_archive_is_unmarked_and_nothing_else_changes) {
    const std::string bytes = "xx" + kSignature + le64(0x0606060606060606ull) + std::string(20, 'z');
    const auto unmarked = unmarkOversizedZip64Records(bytes);
    BOOST_REQUIRE(unmarked.has_value());
    BOOST_TEST(*unmarked == "xx" + kUnmarked + le64(0x0606060606060606ull) + std::string(20, 'z'));
}

BOOST_AUTO_TEST_CASE(a_length_cut_short_by_the_end_reads_as_zero_padded) {
    // Poco zero-fills what a short read leaves: "\0\0\0\x33\x40" is 0x4033000000 (275 GB), the
    // fuzzer's second finding.
    const std::string bytes = "PK\x03\x04" + kSignature + std::string("\0\0\0\x33\x40", 5);
    const auto unmarked = unmarkOversizedZip64Records(bytes);
    BOOST_REQUIRE(unmarked.has_value());
    BOOST_TEST(unmarked->substr(4, 4) == kUnmarked);
    BOOST_CHECK_THROW(ZipReader{bytes}, Poco::Exception);
    // Zeros cut short are a length of 0, which fits.
    BOOST_TEST(!unmarkOversizedZip64Records(kSignature + std::string(7, '\0')).has_value());
}

BOOST_AUTO_TEST_CASE(records_that_fit_need_no_copy) {
    BOOST_TEST(!unmarkOversizedZip64Records("").has_value());
    BOOST_TEST(!unmarkOversizedZip64Records(kSignature).has_value());
    BOOST_TEST(!unmarkOversizedZip64Records(kSignature + le64(4) + "abcd").has_value());
}

BOOST_AUTO_TEST_CASE(every_signature_is_looked_at_including_one_inside_another_length_field) {
    // The fuzzer's third finding: "PK\x06\x06" at 845 and again at 852, inside the first one's
    // length field; clamping one length rewrote the other's.
    const std::string inner = kSignature + le64(0xfffffffffff0ull) + "tail";
    const std::string outer = kSignature + "\x01\x02\x03" + inner;  // outer's length field holds inner's signature
    const auto unmarked = unmarkOversizedZip64Records(outer);
    BOOST_REQUIRE(unmarked.has_value());
    BOOST_TEST(unmarked->substr(0, 4) == kUnmarked);
    BOOST_TEST(unmarked->substr(7, 4) == kUnmarked);
    BOOST_TEST(unmarked->size() == outer.size());
    // A fitting record before an oversized one is left alone.
    const std::string two = kSignature + le64(0) + kSignature + le64(1000) + "abc";
    const auto second = unmarkOversizedZip64Records(two);
    BOOST_REQUIRE(second.has_value());
    BOOST_TEST(*second == kSignature + le64(0) + kUnmarked + le64(1000) + "abc");
}

BOOST_AUTO_TEST_CASE(a_hostile_record_after_the_archive_is_ignored_not_allocated) {
    // Poco reads headers one after the other, so a ZIP64 record appended to a valid archive is
    // parsed; unguarded, it allocates ~128 TiB (bad_alloc, or an abort under the sanitizers).
    // Unmarked, it is trailing garbage after a valid archive.
    const std::string zip = storedZip("a.txt", "hello") + kSignature + le64(0x7fffffffffffull) + std::string(64, '\x60');
    ZipReader reader(zip);
    BOOST_TEST(readEntry(reader, "a.txt") == "hello");
}

BOOST_AUTO_TEST_CASE(entries_are_read_from_the_original_bytes) {
    // The entry's content holds the signature and a huge length; the directory copy unmarks it,
    // the entry must still read back byte for byte (and pass its CRC check).
    const std::string content = "before " + kSignature + le64(0xffffffffffffffffull) + " after";
    const std::string zip = storedZip("statement.txt", content);
    BOOST_REQUIRE(unmarkOversizedZip64Records(zip).has_value());
    ZipReader reader(zip);
    BOOST_TEST(readEntry(reader, "statement.txt") == content);
    BOOST_TEST(readEntry(reader, "statement.txt") == content);  // a second read starts afresh
}

BOOST_AUTO_TEST_SUITE_END()
