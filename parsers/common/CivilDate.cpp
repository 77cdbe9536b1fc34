#include "parsers/common/CivilDate.h"

#include <cstdio>

namespace duegate::parsers {
namespace {

std::optional<int> digits(std::string_view s) {
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return s.empty() ? std::nullopt : std::optional<int>(v);
}

int pivotYear(int yy) { return yy < 70 ? 2000 + yy : 1900 + yy; }

}  // namespace

bool CivilDate::isLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int CivilDate::daysInMonth(int y, int m) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && isLeapYear(y)) return 29;
    return days[m - 1];
}

std::optional<CivilDate> CivilDate::fromYmd(int y, int m, int d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
    return CivilDate(y, m, d);
}

std::optional<CivilDate> CivilDate::parseIso(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto y = digits(t.substr(0, 4)), m = digits(t.substr(5, 2)), d = digits(t.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    return fromYmd(*y, *m, *d);
}

std::optional<CivilDate> CivilDate::parseYymmdd(std::string_view t) {
    if (t.size() != 6) return std::nullopt;
    auto y = digits(t.substr(0, 2)), m = digits(t.substr(2, 2)), d = digits(t.substr(4, 2));
    if (!y || !m || !d) return std::nullopt;
    return fromYmd(pivotYear(*y), *m, *d);
}

std::optional<CivilDate> CivilDate::parseDdmmyy(std::string_view t) {
    if (t.size() != 6) return std::nullopt;
    auto d = digits(t.substr(0, 2)), m = digits(t.substr(2, 2)), y = digits(t.substr(4, 2));
    if (!y || !m || !d) return std::nullopt;
    return fromYmd(pivotYear(*y), *m, *d);
}

std::int64_t CivilDate::dayNumber() const {
    // days_from_civil (Hinnant)
    const std::int64_t y = _m <= 2 ? _y - 1 : _y;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (_m + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + _d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

CivilDate CivilDate::fromDayNumber(std::int64_t z) {
    // civil_from_days (Hinnant)
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
    return CivilDate(y, m, d);
}

int CivilDate::weekday() const {
    const std::int64_t z = dayNumber();  // 1970-01-01 was a Thursday (4)
    const std::int64_t w = ((z % 7) + 7 + 3) % 7;  // 0 = Monday
    return static_cast<int>(w) + 1;
}

std::string CivilDate::iso() const {
    // By hand for years 0-9999 (every valid date): snprintf cost ~1,800 instructions a call, twice
    // per imported statement line (bench/import).
    if (_y >= 0 && _y <= 9999 && _m >= 1 && _m <= 12 && _d >= 1 && _d <= 31) {
        std::string out(10, '-');
        const auto digit = [](int v) { return static_cast<char>('0' + v); };
        out[0] = digit(_y / 1000);
        out[1] = digit(_y / 100 % 10);
        out[2] = digit(_y / 10 % 10);
        out[3] = digit(_y % 10);
        out[5] = digit(_m / 10);
        out[6] = digit(_m % 10);
        out[8] = digit(_d / 10);
        out[9] = digit(_d % 10);
        return out;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", _y, _m, _d);
    return buf;
}

}  // namespace duegate::parsers
