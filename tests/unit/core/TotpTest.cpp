// TOTP (RFC 6238 over RFC 4226): the RFC's own test vectors, the ±1 step window, one use per code,
// base32 as RFC 4648 section 10 gives it.
#include "gateway/core/Totp.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::core::totp;

BOOST_AUTO_TEST_SUITE(totp)

// RFC 6238 appendix B, SHA1 rows: the key is the ASCII "12345678901234567890", 8 digits, T0 = 0, X = 30.
BOOST_AUTO_TEST_CASE(rfc6238_appendix_b_sha1_vectors) {
    const std::string key = "12345678901234567890";
    const std::pair<std::int64_t, const char*> vectors[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
    };
    for (const auto& [t, code] : vectors) BOOST_TEST(hotp(key, stepAt(t), 8) == code, "T=" << t);
}

// RFC 4226 appendix D: HOTP of the same key for counters 0..9, 6 digits.
BOOST_AUTO_TEST_CASE(rfc4226_appendix_d_hotp_vectors) {
    const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t c = 0; c < 10; ++c) BOOST_TEST(hotp("12345678901234567890", c) == expected[c]);
}

BOOST_AUTO_TEST_CASE(a_code_is_accepted_one_step_either_side_and_not_further) {
    const std::string key = "12345678901234567890";
    const std::int64_t now = 1234567890;
    const auto step = stepAt(now);
    BOOST_TEST(verify(key, hotp(key, step), now, 0).value() == step);
    BOOST_TEST(verify(key, hotp(key, step - 1), now, 0).value() == step - 1);
    BOOST_TEST(verify(key, hotp(key, step + 1), now, 0).value() == step + 1);
    BOOST_TEST(!verify(key, hotp(key, step - 2), now, 0));
    BOOST_TEST(!verify(key, hotp(key, step + 2), now, 0));
    BOOST_TEST(!verify(key, "12345", now, 0));
    BOOST_TEST(!verify(key, "12345a", now, 0));
}

BOOST_AUTO_TEST_CASE(a_used_code_is_not_accepted_twice) {
    const std::string key = "12345678901234567890";
    const std::int64_t now = 1234567890;
    const auto used = verify(key, hotp(key, stepAt(now)), now, 0);
    BOOST_REQUIRE(used);
    BOOST_TEST(!verify(key, hotp(key, stepAt(now)), now, *used));
    // nor an older one inside the window
    BOOST_TEST(!verify(key, hotp(key, stepAt(now) - 1), now, *used));
    BOOST_TEST(verify(key, hotp(key, stepAt(now) + 1), now + 30, *used).has_value());
}

BOOST_AUTO_TEST_CASE(base32_as_rfc4648_section_10) {
    BOOST_TEST(base32Encode("") == "");
    BOOST_TEST(base32Encode("f") == "MY");
    BOOST_TEST(base32Encode("fo") == "MZXQ");
    BOOST_TEST(base32Encode("foo") == "MZXW6");
    BOOST_TEST(base32Encode("foob") == "MZXW6YQ");
    BOOST_TEST(base32Encode("fooba") == "MZXW6YTB");
    BOOST_TEST(base32Encode("foobar") == "MZXW6YTBOI");
    BOOST_TEST(base32Decode("MZXW6YTBOI======").value() == "foobar");
    BOOST_TEST(base32Decode("mzxw 6ytb oi").value() == "foobar");
    BOOST_TEST(!base32Decode("MZXW1"));
}

BOOST_AUTO_TEST_CASE(otpauth_uri_names_issuer_account_and_parameters) {
    BOOST_TEST(otpauthUri("duegate", "sam@agency.example", "ABC") ==
               "otpauth://totp/duegate:sam@agency.example?secret=ABC&issuer=duegate&algorithm=SHA1&digits=6&period=30");
}

BOOST_AUTO_TEST_SUITE_END()
