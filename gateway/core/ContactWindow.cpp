#include "gateway/core/ContactWindow.h"

namespace duegate::core {

ContactWindow contactWindowOf(const Policy& p) {
    return ContactWindow{p.contactFromMinutes, p.contactUntilMinutes, p.contactOnRestDays};
}

bool isContactDay(const ContactWindow& w, Country country, const CivilDate& day) {
    return w.onRestDays || (day.weekday() != 7 && !isPublicHoliday(country, day));
}

std::int64_t instantAtLocal(TimeZone zone, const CivilDate& day, int minutes) {
    const std::int64_t naive = day.dayNumber() * 86400 + static_cast<std::int64_t>(minutes) * 60;
    // The offset at the guessed instant; twice, so an instant next to a DST switch settles.
    std::int64_t t = naive - utcOffsetSeconds(naive - 3600, zone);
    t = naive - utcOffsetSeconds(t, zone);
    return t;
}

std::int64_t nextContactInstant(const ContactWindow& w, Country country, TimeZone zone, std::int64_t unixSeconds) {
    CivilDate day = localDate(unixSeconds, zone);
    for (int i = 0; i < 30; ++i, day = day.plusDays(1)) {
        if (!isContactDay(w, country, day)) continue;
        const std::int64_t open = instantAtLocal(zone, day, w.fromMinutes);
        const std::int64_t close = instantAtLocal(zone, day, w.untilMinutes);
        if (unixSeconds < open) return open;
        if (unixSeconds < close) return unixSeconds;
    }
    return unixSeconds;  // no allowed day within 30 days: a misconfiguration; do not hold forever
}

}  // namespace duegate::core
