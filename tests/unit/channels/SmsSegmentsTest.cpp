#include "channels/SmsSegments.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::channels;

BOOST_AUTO_TEST_SUITE(sms_segments)

BOOST_AUTO_TEST_CASE(gsm7_limits) {
    BOOST_TEST(countSmsSegments("").segments == 0u);
    BOOST_TEST(countSmsSegments(std::string(160, 'a')).segments == 1u);
    BOOST_TEST(countSmsSegments(std::string(161, 'a')).segments == 2u);
    BOOST_TEST(countSmsSegments(std::string(306, 'a')).segments == 2u);
    BOOST_TEST(countSmsSegments(std::string(307, 'a')).segments == 3u);
    const auto c = countSmsSegments("Caf\xc3\xa9 \xc3\xa0 Bruxelles: 12,50 EUR");  // é and à are GSM-7
    BOOST_TEST(c.gsm7);
}

BOOST_AUTO_TEST_CASE(extension_table_counts_two_and_is_not_split) {
    auto c = countSmsSegments("\xe2\x82\xac");  // €
    BOOST_TEST(c.gsm7);
    BOOST_TEST(c.units == 2u);
    BOOST_TEST(countSmsSegments(std::string(79, '[') + "a").units == 159u);
    BOOST_TEST(countSmsSegments(std::string(80, '[')).segments == 1u);   // 160 septets
    BOOST_TEST(countSmsSegments(std::string(80, '[') + "a").segments == 2u);
    // 152 septets, then a 2-septet char: it cannot straddle the 153 boundary.
    const std::string s = std::string(152, 'a') + "{" + std::string(10, 'a');
    BOOST_TEST(countSmsSegments(s).units == 164u);
    BOOST_TEST(countSmsSegments(s).segments == 2u);
    const std::string t = std::string(152, 'a') + "{" + std::string(152, 'a');  // 152 | 2+151 | 1
    BOOST_TEST(countSmsSegments(t).segments == 3u);
}

BOOST_AUTO_TEST_CASE(ucs2_limits) {
    std::string s;
    for (int i = 0; i < 70; ++i) s += "\xc5\x82";  // ł, not GSM-7
    BOOST_TEST(!countSmsSegments(s).gsm7);
    BOOST_TEST(countSmsSegments(s).segments == 1u);
    BOOST_TEST(countSmsSegments(s + "a").segments == 2u);
    std::string t;
    for (int i = 0; i < 134; ++i) t += "\xc5\x82";
    BOOST_TEST(countSmsSegments(t).segments == 2u);
    BOOST_TEST(countSmsSegments(t + "x").segments == 3u);
    BOOST_TEST(countSmsSegments("\xf0\x9f\x98\x80").units == 2u);  // an emoji: a surrogate pair
}

BOOST_AUTO_TEST_CASE(fit_cuts_to_two_segments) {
    std::string words;
    while (words.size() < 500) words += "betaal ";
    const auto fitted = fitSmsSegments(words, 2);
    BOOST_TEST(countSmsSegments(fitted).segments == 2u);
    BOOST_TEST(fitted.substr(fitted.size() - 3) == "...");
    BOOST_TEST(fitSmsSegments("short", 2) == "short");
    std::string u;
    for (int i = 0; i < 200; ++i) u += "\xc5\x82";
    BOOST_TEST(countSmsSegments(fitSmsSegments(u, 2)).segments <= 2u);
}

BOOST_AUTO_TEST_SUITE_END()
