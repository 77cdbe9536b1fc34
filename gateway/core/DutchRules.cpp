#include "gateway/core/DutchRules.h"
#include "gateway/core/InputError.h"

#include "gateway/core/Rounding.h"

#include <algorithm>

namespace duegate::core {

parsers::Result<BikResult> DutchRules::bik(const Money& principal, std::optional<int> vatPercent) {
    if (principal.currency() != "EUR")
        return inputError("principal", "the BIK scale is in EUR; got " + principal.currency());
    if (principal.isNegative()) return inputError("principal", "the principal must not be negative");
    if (vatPercent && (*vatPercent < 0 || *vatPercent > 100))
        return inputError("vat", "VAT percentage must be between 0 and 100");
    // Slices of the Besluit, art. 2(1): {slice size in cents, basis points}; the last slice is open.
    struct Slice { std::int64_t size; std::int64_t bp; };
    static constexpr Slice slices[] = {
        {250000, 1500}, {250000, 1000}, {500000, 500}, {19000000, 100}, {INT64_MAX, 50}};
    std::int64_t left = principal.minor();
    Int128 numerator = 0;  // sum of slice × bp, divided once so slices do not each lose a fraction
    for (const auto& s : slices) {
        const std::int64_t part = std::min(left, s.size);
        numerator += Int128(part) * s.bp;
        left -= part;
        if (left == 0) break;
    }
    std::int64_t scale = static_cast<std::int64_t>(divideRounded(numerator, 10000, RoundingRule::Down));
    std::string bound;
    if (scale < kBikMinimumCents) { scale = kBikMinimumCents; bound = "; minimum EUR 40 applied"; }
    if (scale > kBikMaximumCents) { scale = kBikMaximumCents; bound = "; maximum EUR 6,775 applied"; }
    BikResult r;
    r.scale = Money::eur(scale);
    r.vat = Money::eur(vatPercent ? percentOf(scale, std::int64_t(*vatPercent) * 100, RoundingRule::HalfUp) : 0);
    r.total = r.scale + r.vat;
    r.basis = "Art. 6:96 BW and art. 2 Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141): "
              "15% of the first EUR 2,500, 10% of the next 2,500, 5% of the next 5,000, 1% of the next 190,000, "
              "0.5% above; at least EUR 40, at most EUR 6,775" + bound +
              "; rounded down to the cent";
    if (vatPercent)
        r.basis += "; VAT of " + std::to_string(*vatPercent) +
                   "% added on top (art. 2(3) Besluit: only where the creditor cannot deduct it), rounded half-up";
    return r;
}

LegalTerm DutchRules::fourteenDayTerm(const CivilDate& received) {
    LegalTerm t;
    t.firstDay = received.plusDays(1);
    t.lastDay = received.plusDays(kFourteenDayTermDays);
    t.basis = "Art. 6:96(6) BW: 14 days from the day after receipt of the letter (HR 25-11-2016, "
              "ECLI:NL:HR:2016:2704); collection costs only after the term has ended";
    // Art. 1 Algemene termijnenwet (Saturdays count as non-working days there).
    if (t.lastDay.weekday() >= 6 || isPublicHoliday(Country::NL, t.lastDay)) {
        while (t.lastDay.weekday() >= 6 || isPublicHoliday(Country::NL, t.lastDay)) t.lastDay = t.lastDay.plusDays(1);
        t.basis += "; the last day fell on a Saturday, Sunday or holiday and is extended per art. 1 Algemene "
                   "termijnenwet (our reading, not in LEGAL.md)";
    }
    t.chargesFrom = t.lastDay.plusDays(1);
    return t;
}

CivilDate DutchRules::assumedReceipt(const CivilDate& sent, Medium medium) {
    if (medium == Medium::Electronic) return sent;
    return addWorkingDays(Country::NL, sent, 2);
}

LegalAmount DutchRules::commercialMinimumCompensation() {
    return {Money::eur(kCommercialMinimumCents),
            "Art. 6:96(4) BW (late-payment directive 2011/7/EU): in a commercial transaction at least EUR 40 "
            "in collection costs, due without a reminder; the BIK scale is only a default"};
}

}  // namespace duegate::core
