#include "gateway/core/InterestCalculator.h"
#include "gateway/core/InputError.h"

#include <algorithm>

namespace duegate::core {

parsers::Result<InterestResult> simpleInterest(const Money& principal, const RateTable& table,
                                               const CivilDate& firstDay, const CivilDate& lastDay) {
    if (principal.isNegative()) return inputError("principal", "the principal must not be negative");
    InterestResult r;
    r.principal = principal;
    r.firstDay = firstDay;
    r.lastDay = lastDay;
    r.total = Money(0, principal.currency());
    CivilDate day = firstDay;
    while (!(lastDay < day)) {
        auto period = table.rateOn(day);
        if (!period) return period.error();
        const CivilDate sliceEnd = std::min(period->to, lastDay);
        InterestSlice s;
        s.from = day;
        s.to = sliceEnd;
        s.days = static_cast<int>(daysBetween(day, sliceEnd) + 1);
        s.rate = *period;
        // InterestRounding::HalfUpPerPeriod: round each period, then sum.
        const Int128 num = Int128(principal.minor()) * period->basisPoints * s.days;
        s.interest = Money(static_cast<std::int64_t>(divideRounded(num, 365 * 10000, RoundingRule::HalfUp)),
                           principal.currency());
        r.total += s.interest;
        r.days += s.days;
        r.allRatesVerified = r.allRatesVerified && period->verified;
        r.slices.push_back(std::move(s));
        day = sliceEnd.plusDays(1);
    }
    return r;
}

}  // namespace duegate::core
