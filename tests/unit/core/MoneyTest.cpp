#include "gateway/core/Money.h"
#include "gateway/core/Rounding.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::core;

BOOST_AUTO_TEST_SUITE(money)

BOOST_AUTO_TEST_CASE(parses_exactly_with_the_currency_exponent) {
    BOOST_TEST(Money::parse("1234.50", "EUR")->minor() == 123450);
    BOOST_TEST(Money::parse("1234.5", "EUR")->toDecimal() == "1234.50");
    BOOST_TEST(Money::parse("1500", "JPY")->minor() == 1500);          // JPY has no minor unit
    BOOST_TEST(!Money::parse("1500.5", "JPY").has_value());            // no silent rounding
    BOOST_TEST(!Money::parse("0.001", "EUR").has_value());
    BOOST_TEST(Money::parse("1.234", "KWD")->minor() == 1234);         // KWD has 3 decimals
    BOOST_TEST(!Money::parse("1.00", "XXQ").has_value());              // unknown currency
    BOOST_TEST(Money::eur(-5).toDecimal() == "-0.05");
    BOOST_TEST(Money(7, "JPY").toString() == "JPY 7");
}

BOOST_AUTO_TEST_CASE(decimal_round_trips_for_many_amounts) {
    for (std::int64_t m = -100000; m <= 100000; m += 37) {
        const Money x = Money::eur(m);
        BOOST_TEST_REQUIRE(Money::parse(x.toDecimal(), "EUR")->minor() == m);
    }
}

BOOST_AUTO_TEST_CASE(named_rounding_rules) {
    // 863.01 -> 863 (half-up), 2646.575 -> 2647, exactly half goes up, negatives mirror.
    BOOST_TEST(static_cast<long long>(divideRounded(3150000000, 3650000, RoundingRule::HalfUp)) == 863);
    BOOST_TEST(static_cast<long long>(divideRounded(9660000000, 3650000, RoundingRule::HalfUp)) == 2647);
    BOOST_TEST(static_cast<long long>(divideRounded(5, 10, RoundingRule::HalfUp)) == 1);
    BOOST_TEST(static_cast<long long>(divideRounded(4, 10, RoundingRule::HalfUp)) == 0);
    BOOST_TEST(static_cast<long long>(divideRounded(-5, 10, RoundingRule::HalfUp)) == -1);
    BOOST_TEST(static_cast<long long>(divideRounded(19, 10, RoundingRule::Down)) == 1);
    BOOST_TEST(percentOf(100000, 2100, RoundingRule::HalfUp) == 21000);
    BOOST_TEST(percentOf(15001, 1000, RoundingRule::Down) == 1500);
}

BOOST_AUTO_TEST_SUITE_END()
