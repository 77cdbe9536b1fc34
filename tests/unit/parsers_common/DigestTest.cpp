// The one SHA-256 and constant-time comparison (OpenSSL) that every layer uses.
#include "parsers/common/Digest.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers;

BOOST_AUTO_TEST_SUITE(digest)

BOOST_AUTO_TEST_CASE(sha256_hex_matches_the_nist_vectors) {
    BOOST_TEST(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(constant_time_equals_compares_length_and_every_byte) {
    BOOST_TEST(constantTimeEquals("", ""));
    BOOST_TEST(constantTimeEquals("abc", "abc"));
    BOOST_TEST(!constantTimeEquals("abc", "abd"));
    BOOST_TEST(!constantTimeEquals("abc", "xbc"));
    BOOST_TEST(!constantTimeEquals("abc", "abcd"));
    BOOST_TEST(!constantTimeEquals("", "a"));
    BOOST_TEST(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    BOOST_TEST(!constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

BOOST_AUTO_TEST_SUITE_END()
