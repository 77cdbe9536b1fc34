// A civil (calendar) date without time or zone: what an invoice due date, a booking date or a
// legal term is. Proleptic Gregorian, years 1..9999. Arithmetic through a day number (days since
// 1970-01-01, H. Hinnant's algorithms), so adding days and weekdays never touch a clock or a zone.
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace duegate::parsers {

class CivilDate {
public:
    CivilDate() = default;  // 1970-01-01

    // std::nullopt when the date does not exist (2025-02-30) or is out of range.
    static std::optional<CivilDate> fromYmd(int year, int month, int day);
    // "YYYY-MM-DD" exactly.
    static std::optional<CivilDate> parseIso(std::string_view text);
    // "YYMMDD" with the century pivot used by banks (CODA, MT940): YY < 70 -> 20YY, else 19YY.
    static std::optional<CivilDate> parseYymmdd(std::string_view text);
    // "DDMMYY" (CODA) with the same pivot.
    static std::optional<CivilDate> parseDdmmyy(std::string_view text);
    static CivilDate fromDayNumber(std::int64_t days);

    int year() const { return _y; }
    int month() const { return _m; }
    int day() const { return _d; }
    std::int64_t dayNumber() const;   // days since 1970-01-01
    int weekday() const;              // ISO: 1 = Monday ... 7 = Sunday
    CivilDate plusDays(std::int64_t n) const { return fromDayNumber(dayNumber() + n); }
    std::string iso() const;          // "YYYY-MM-DD"

    static bool isLeapYear(int year);
    static int daysInMonth(int year, int month);

    auto operator<=>(const CivilDate&) const = default;

private:
    CivilDate(int y, int m, int d) : _y(y), _m(m), _d(d) {}
    int _y = 1970, _m = 1, _d = 1;
};

// Days from a to b (b - a); negative when b is earlier.
inline std::int64_t daysBetween(const CivilDate& a, const CivilDate& b) { return b.dayNumber() - a.dayNumber(); }

inline std::ostream& operator<<(std::ostream& os, const CivilDate& d) { return os << d.iso(); }

}  // namespace duegate::parsers
