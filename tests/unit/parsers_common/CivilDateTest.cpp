#include "parsers/common/CivilDate.h"

#include <boost/test/unit_test.hpp>

using duegate::parsers::CivilDate;

BOOST_AUTO_TEST_SUITE(civil_date)

BOOST_AUTO_TEST_CASE(rejects_dates_that_do_not_exist) {
    BOOST_TEST(!CivilDate::fromYmd(2025, 2, 29).has_value());
    BOOST_TEST(CivilDate::fromYmd(2024, 2, 29).has_value());
    BOOST_TEST(!CivilDate::parseIso("2025-02-30").has_value());
    BOOST_TEST(!CivilDate::parseYymmdd("250230").has_value());
    BOOST_TEST(!CivilDate::parseIso("2025-1-01").has_value());
}

BOOST_AUTO_TEST_CASE(round_trips_through_day_numbers_and_knows_weekdays) {
    BOOST_TEST(CivilDate::parseIso("1970-01-01")->dayNumber() == 0);
    BOOST_TEST(CivilDate::parseIso("2025-12-05")->weekday() == 5);  // a Friday (LEGAL.md worked term)
    BOOST_TEST(CivilDate::parseIso("2025-12-05")->plusDays(18).iso() == "2025-12-23");
    for (std::int64_t n = -800000; n < 3000000; n += 997)
        BOOST_TEST_REQUIRE(CivilDate::fromDayNumber(n).dayNumber() == n);
}

BOOST_AUTO_TEST_CASE(reads_bank_short_dates_with_the_century_pivot) {
    BOOST_TEST(CivilDate::parseYymmdd("251205")->iso() == "2025-12-05");
    BOOST_TEST(CivilDate::parseDdmmyy("051299")->iso() == "1999-12-05");
}

BOOST_AUTO_TEST_SUITE_END()
