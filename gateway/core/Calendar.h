// Calendars of Belgium and the Netherlands: civil dates in Europe/Brussels and Europe/Amsterdam,
// public holidays (fixed and Easter-based) for any Gregorian year, and working days.
//
// Sources:
//  - Belgium, the ten legal public holidays: Royal Decree of 18 April 1974 (arts. 1, feestdagen):
//    1 Jan, Easter Monday, 1 May, Ascension, Whit Monday, 21 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec.
//  - Netherlands, "algemeen erkende feestdagen" of art. 3 Algemene termijnenwet: 1 Jan, Easter
//    Monday, Ascension, Whit Monday, 25 and 26 Dec, the King's birthday (27 Apr, 26 Apr when the
//    27th is a Sunday; 30 Apr / 29 Apr for the Queen before 2014) and 5 May. Good Friday is not in
//    that list (not a general day off); Easter Sunday and Whit Sunday are Sundays anyway and are
//    listed for completeness.
//  - Working day (Belgium): Mon–Fri minus public holidays. ⚠️ LEGAL.md §1: this is the reading of
//    Book XIX's "werkdag" by analogy with Art. 53bis Judicial Code; not confirmed for Book XIX.
//    (Art. 53bis itself counts Saturdays as non-working days too, which is the reading used here.)
//  - Easter: the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
//
// Time zones: Brussels and Amsterdam both follow CET/CEST with the EU summer-time rule (Directive
// 2000/84/EC: from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
// localDate() turns an instant (seconds since the Unix epoch, UTC) into the civil date there; the
// caller supplies the instant (core never reads a clock). Valid for instants from 1996 on, when the
// EU rule became uniform; earlier instants use the same rule (approximation, documented).
// Thread-safety: pure functions.
#pragma once

#include "parsers/common/CivilDate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core {

using parsers::CivilDate;

enum class Country { BE, NL };

std::optional<Country> parseCountry(std::string_view text);  // "be" | "nl" (case-insensitive)
std::string_view countryCode(Country c);                     // "be" | "nl"

enum class TimeZone { EuropeBrussels, EuropeAmsterdam };

struct Holiday {
    CivilDate date;
    std::string name;  // English name, e.g. "Easter Monday"
    bool operator==(const Holiday&) const = default;
};

// Easter Sunday of a Gregorian year (1583..9999).
CivilDate easterSunday(int year);

// The public holidays of `country` in `year`, sorted by date.
std::vector<Holiday> publicHolidays(Country country, int year);

bool isPublicHoliday(Country country, const CivilDate& date);

// Mon–Fri and not a public holiday of `country` (see the ⚠️ reading above).
bool isWorkingDay(Country country, const CivilDate& date);

// The n-th working day after `from` (n >= 1; `from` itself is never counted). n = 0 returns `from`.
// Negative n counts backwards.
CivilDate addWorkingDays(Country country, const CivilDate& from, int n);

// Next day on or after `date` that is a working day.
CivilDate nextWorkingDayOnOrAfter(Country country, const CivilDate& date);

// The civil date in `zone` at the instant `unixSeconds` (UTC).
CivilDate localDate(std::int64_t unixSeconds, TimeZone zone);
// UTC offset in seconds in `zone` at that instant (3600 in winter, 7200 in summer).
int utcOffsetSeconds(std::int64_t unixSeconds, TimeZone zone);

}  // namespace duegate::core
