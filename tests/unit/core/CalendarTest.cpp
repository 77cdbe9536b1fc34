#include "gateway/core/Calendar.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::core;

namespace {
CivilDate d(const char* iso) { return *CivilDate::parseIso(iso); }
}  // namespace

BOOST_AUTO_TEST_SUITE(calendar)

BOOST_AUTO_TEST_CASE(easter_sunday_matches_known_years) {
    // Published Easter dates (Gregorian).
    BOOST_TEST(easterSunday(2000).iso() == "2000-04-23");
    BOOST_TEST(easterSunday(2019).iso() == "2019-04-21");
    BOOST_TEST(easterSunday(2024).iso() == "2024-03-31");
    BOOST_TEST(easterSunday(2025).iso() == "2025-04-20");
    BOOST_TEST(easterSunday(2026).iso() == "2026-04-05");
    BOOST_TEST(easterSunday(2038).iso() == "2038-04-25");  // latest possible
    BOOST_TEST(easterSunday(2285).iso() == "2285-03-22");  // earliest possible
}

BOOST_AUTO_TEST_CASE(easter_is_always_a_sunday_between_22_march_and_25_april) {
    for (int y = 1600; y <= 3000; ++y) {
        const CivilDate e = easterSunday(y);
        BOOST_TEST_REQUIRE(e.weekday() == 7);
        BOOST_TEST_REQUIRE(d("2000-03-22") <= *CivilDate::fromYmd(2000, e.month(), e.day()));
        BOOST_TEST_REQUIRE(*CivilDate::fromYmd(2000, e.month(), e.day()) <= d("2000-04-25"));
    }
}

BOOST_AUTO_TEST_CASE(belgian_holidays_2025) {
    const auto h = publicHolidays(Country::BE, 2025);
    std::vector<std::string> dates;
    for (const auto& x : h) dates.push_back(x.date.iso());
    const std::vector<std::string> expected = {"2025-01-01", "2025-04-20", "2025-04-21", "2025-05-01",
                                               "2025-05-29", "2025-06-08", "2025-06-09", "2025-07-21",
                                               "2025-08-15", "2025-11-01", "2025-11-11", "2025-12-25"};
    BOOST_TEST(dates == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(dutch_holidays_2025_move_kings_day_off_sunday) {
    // 27 April 2025 is a Sunday, so King's Day is Saturday 26 April.
    BOOST_TEST(isPublicHoliday(Country::NL, d("2025-04-26")));
    BOOST_TEST(!isPublicHoliday(Country::NL, d("2025-04-27")));
    BOOST_TEST(isPublicHoliday(Country::NL, d("2026-04-27")));
    BOOST_TEST(isPublicHoliday(Country::NL, d("2025-05-05")));
    BOOST_TEST(isPublicHoliday(Country::NL, d("2025-12-26")));
    BOOST_TEST(!isPublicHoliday(Country::BE, d("2025-12-26")));
    BOOST_TEST(!isPublicHoliday(Country::NL, d("2025-07-21")));
    BOOST_TEST(!isPublicHoliday(Country::NL, d("2025-04-18")));  // Good Friday: not in the Atw list
}

BOOST_AUTO_TEST_CASE(working_days_skip_weekends_and_holidays) {
    // Fri 5 Dec 2025 + 3 working days = Wed 10 Dec (LEGAL.md worked term).
    BOOST_TEST(addWorkingDays(Country::BE, d("2025-12-05"), 3).iso() == "2025-12-10");
    // Wed 24 Dec 2025 + 1 = Fri 26 Dec in Belgium (25th is a holiday), Mon 29 Dec in NL (26th too).
    BOOST_TEST(addWorkingDays(Country::BE, d("2025-12-24"), 1).iso() == "2025-12-26");
    BOOST_TEST(addWorkingDays(Country::NL, d("2025-12-24"), 1).iso() == "2025-12-29");
    // Across Easter 2025: Thu 17 Apr + 2 = Tue 22 Apr (Easter Monday 21 Apr).
    BOOST_TEST(addWorkingDays(Country::BE, d("2025-04-17"), 2).iso() == "2025-04-22");
    BOOST_TEST(addWorkingDays(Country::BE, d("2025-04-22"), -2).iso() == "2025-04-17");
    BOOST_TEST(addWorkingDays(Country::BE, d("2025-04-22"), 0).iso() == "2025-04-22");
    BOOST_TEST(nextWorkingDayOnOrAfter(Country::BE, d("2025-11-01")).iso() == "2025-11-03");
}

BOOST_AUTO_TEST_CASE(local_dates_follow_cet_and_cest) {
    // 2025-03-30 00:59:59 UTC is still winter time (01:59:59 CET); 01:00 UTC is 03:00 CEST.
    const std::int64_t springSwitch = d("2025-03-30").dayNumber() * 86400 + 3600;
    BOOST_TEST(utcOffsetSeconds(springSwitch - 1, TimeZone::EuropeBrussels) == 3600);
    BOOST_TEST(utcOffsetSeconds(springSwitch, TimeZone::EuropeBrussels) == 7200);
    // 2025-10-26 01:00 UTC back to winter time.
    const std::int64_t autumnSwitch = d("2025-10-26").dayNumber() * 86400 + 3600;
    BOOST_TEST(utcOffsetSeconds(autumnSwitch - 1, TimeZone::EuropeAmsterdam) == 7200);
    BOOST_TEST(utcOffsetSeconds(autumnSwitch, TimeZone::EuropeAmsterdam) == 3600);
    // 2025-06-30 22:30 UTC is already 1 July in Brussels; 2025-12-31 23:30 UTC is 2026 in Amsterdam.
    BOOST_TEST(localDate(d("2025-06-30").dayNumber() * 86400 + 22 * 3600 + 1800, TimeZone::EuropeBrussels).iso() ==
               "2025-07-01");
    BOOST_TEST(localDate(d("2025-12-31").dayNumber() * 86400 + 23 * 3600 + 1800, TimeZone::EuropeAmsterdam).iso() ==
               "2026-01-01");
    BOOST_TEST(localDate(d("2025-12-31").dayNumber() * 86400 + 22 * 3600 + 59 * 60, TimeZone::EuropeAmsterdam).iso() ==
               "2025-12-31");
}

BOOST_AUTO_TEST_SUITE_END()
