#include "gateway/core/Calendar.h"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace duegate::core {
namespace {

CivilDate ymd(int y, int m, int d) {
    auto date = CivilDate::fromYmd(y, m, d);
    assert(date && "Calendar: fixed holiday out of range");
    return *date;
}

// Last Sunday of a month.
CivilDate lastSunday(int year, int month) {
    CivilDate d = ymd(year, month, CivilDate::daysInMonth(year, month));
    return d.plusDays(-(d.weekday() % 7));
}

}  // namespace

std::optional<Country> parseCountry(std::string_view text) {
    std::string t;
    for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "be") return Country::BE;
    if (t == "nl") return Country::NL;
    return std::nullopt;
}

std::string_view countryCode(Country c) { return c == Country::BE ? "be" : "nl"; }

CivilDate easterSunday(int year) {
    // Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8).
    const int a = year % 19;
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return ymd(year, month, day);
}

std::vector<Holiday> publicHolidays(Country country, int year) {
    const CivilDate easter = easterSunday(year);
    std::vector<Holiday> out;
    if (country == Country::BE) {
        // Royal Decree of 18 April 1974: the ten legal public holidays.
        out = {
            {ymd(year, 1, 1), "New Year's Day"},
            {easter, "Easter Sunday"},
            {easter.plusDays(1), "Easter Monday"},
            {ymd(year, 5, 1), "Labour Day"},
            {easter.plusDays(39), "Ascension Day"},
            {easter.plusDays(49), "Whit Sunday"},
            {easter.plusDays(50), "Whit Monday"},
            {ymd(year, 7, 21), "National Day"},
            {ymd(year, 8, 15), "Assumption Day"},
            {ymd(year, 11, 1), "All Saints' Day"},
            {ymd(year, 11, 11), "Armistice Day"},
            {ymd(year, 12, 25), "Christmas Day"},
        };
    } else {
        // Art. 3 Algemene termijnenwet.
        CivilDate kings = year >= 2014 ? ymd(year, 4, 27) : ymd(year, 4, 30);
        if (kings.weekday() == 7) kings = kings.plusDays(-1);
        out = {
            {ymd(year, 1, 1), "New Year's Day"},
            {easter, "Easter Sunday"},
            {easter.plusDays(1), "Easter Monday"},
            {kings, year >= 2014 ? "King's Day" : "Queen's Day"},
            {ymd(year, 5, 5), "Liberation Day"},
            {easter.plusDays(39), "Ascension Day"},
            {easter.plusDays(49), "Whit Sunday"},
            {easter.plusDays(50), "Whit Monday"},
            {ymd(year, 12, 25), "Christmas Day"},
            {ymd(year, 12, 26), "Second Day of Christmas"},
        };
    }
    std::stable_sort(out.begin(), out.end(), [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
    return out;
}

bool isPublicHoliday(Country country, const CivilDate& date) {
    for (const auto& h : publicHolidays(country, date.year()))
        if (h.date == date) return true;
    return false;
}

bool isWorkingDay(Country country, const CivilDate& date) {
    return date.weekday() <= 5 && !isPublicHoliday(country, date);
}

CivilDate addWorkingDays(Country country, const CivilDate& from, int n) {
    CivilDate d = from;
    const int step = n >= 0 ? 1 : -1;
    for (int left = n >= 0 ? n : -n; left > 0;) {
        d = d.plusDays(step);
        if (isWorkingDay(country, d)) --left;
    }
    return d;
}

CivilDate nextWorkingDayOnOrAfter(Country country, const CivilDate& date) {
    CivilDate d = date;
    while (!isWorkingDay(country, d)) d = d.plusDays(1);
    return d;
}

int utcOffsetSeconds(std::int64_t unixSeconds, TimeZone) {
    // Both zones: CET (+1) with EU summer time (+2) between the last Sundays of March and October,
    // switching at 01:00 UTC (Directive 2000/84/EC, art. 2 and 3).
    const std::int64_t days = unixSeconds >= 0 ? unixSeconds / 86400 : -((-unixSeconds + 86399) / 86400);
    const int year = CivilDate::fromDayNumber(days).year();
    const std::int64_t start = lastSunday(year, 3).dayNumber() * 86400 + 3600;
    const std::int64_t end = lastSunday(year, 10).dayNumber() * 86400 + 3600;
    return unixSeconds >= start && unixSeconds < end ? 7200 : 3600;
}

CivilDate localDate(std::int64_t unixSeconds, TimeZone zone) {
    const std::int64_t local = unixSeconds + utcOffsetSeconds(unixSeconds, zone);
    const std::int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    return CivilDate::fromDayNumber(days);
}

}  // namespace duegate::core
