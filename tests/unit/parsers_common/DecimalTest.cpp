#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers;

BOOST_AUTO_TEST_SUITE(decimal)

BOOST_AUTO_TEST_CASE(parses_plain_and_signed_decimals_exactly) {
    BOOST_TEST(parseDecimal("1234.50").value() == (Decimal{12345, 1}));
    BOOST_TEST(parseDecimal("-0.05").value() == (Decimal{-5, 2}));
    BOOST_TEST(parseDecimal("+7").value() == (Decimal{7, 0}));
    BOOST_TEST(parseDecimal("12,30", ',').value() == (Decimal{123, 1}));
    BOOST_TEST(parseDecimal("100.10000000000000000000").value() == (Decimal{1001, 1}));
}

BOOST_AUTO_TEST_CASE(rejects_what_is_not_a_plain_decimal) {
    for (const char* bad : {"", "-", ".", "1e3", "1.2.3", " 1", "1,000.00", "12a", "99999999999999999999"})
        BOOST_TEST(!parseDecimal(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(converts_to_minor_units_only_when_exact) {
    BOOST_TEST(parseMinorUnits("1234.5", 2).value() == 123450);
    BOOST_TEST(parseMinorUnits("1234.50000", 2).value() == 123450);
    BOOST_TEST(!parseMinorUnits("1234.505", 2).has_value());
    BOOST_TEST(parseMinorUnits("1234.505", 3).value() == 1234505);
    BOOST_TEST(parseMinorUnits("15", 0).value() == 15);
}

BOOST_AUTO_TEST_CASE(formats_minor_units_with_the_currency_exponent) {
    BOOST_TEST(formatMinorUnits(123450, 2) == "1234.50");
    BOOST_TEST(formatMinorUnits(-5, 2) == "-0.05");
    BOOST_TEST(formatMinorUnits(0, 2) == "0.00");
    BOOST_TEST(formatMinorUnits(7, 0) == "7");
    BOOST_TEST(formatSignedMinorUnits(100, 2) == "+1.00");
    BOOST_TEST(formatMinorUnits(INT64_MIN, 2) == "-92233720368547758.08");
}

BOOST_AUTO_TEST_CASE(knows_currency_exponents) {
    BOOST_TEST(currencyExponent("EUR").value() == 2);
    BOOST_TEST(currencyExponent("JPY").value() == 0);
    BOOST_TEST(currencyExponent("KWD").value() == 3);
    BOOST_TEST(!currencyExponent("XXQ").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
