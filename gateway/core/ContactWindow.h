// When an SMS may go out or a debtor may be called: within the policy's contact window (default
// 08:00-20:00 local time), and not on Sundays or public holidays of the debtor's country unless the
// policy allows it. Defaults follow the stricter of the Dutch Wki conduct rule (no contact 20:00-07:00,
// Sundays, public holidays; LEGAL.md §6) and duegate's Belgian default (none 22:00-08:00, LEGAL.md §1).
// Pure: the caller passes the instant (seconds since the epoch, UTC) and the time zone.
// Thread-safety: pure functions.
#pragma once

#include "gateway/core/Calendar.h"
#include "gateway/core/Policy.h"

#include <cstdint>

namespace duegate::core {

struct ContactWindow {
    int fromMinutes = 8 * 60;    // local minutes after midnight, inclusive
    int untilMinutes = 20 * 60;  // exclusive
    bool onRestDays = false;     // Sundays and public holidays allowed
};

ContactWindow contactWindowOf(const Policy& p);

// True when `day` is a day on which contact is allowed at all.
bool isContactDay(const ContactWindow& w, Country country, const CivilDate& day);

// The first instant >= unixSeconds inside the window (the instant itself when it is inside).
std::int64_t nextContactInstant(const ContactWindow& w, Country country, TimeZone zone, std::int64_t unixSeconds);

// The UTC instant of local time `minutes` after midnight of `day` in `zone`.
std::int64_t instantAtLocal(TimeZone zone, const CivilDate& day, int minutes);

}  // namespace duegate::core
