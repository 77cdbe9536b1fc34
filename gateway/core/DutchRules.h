// The Netherlands (LEGAL.md §6).
//  - Art. 6:96(6) BW, consumers: extrajudicial collection costs are due only after a "14-day letter"
//    sent after default, stating the costs, with 14 days from the day after receipt
//    (HR 25-11-2016, ECLI:NL:HR:2016:2704). https://www.hr-center.nl/nieuws/de-veertiendagenbrief-542
//  - Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2 (Stb. 2012, 141,
//    https://zoek.officielebekendmakingen.nl/stb-2012-141.html): 15 % of the first €2,500, 10 % of the
//    next €2,500, 5 % of the next €5,000, 1 % of the next €190,000, 0.5 % above; at least €40, at
//    most €6,775; art. 2(3): VAT on top where the creditor cannot deduct it (condition truncated
//    in our source ⚠️: the caller decides whether VAT applies).
//  - Art. 6:96(4) BW, commercial transactions: at least €40 without a reminder; the Besluit scale is
//    only a default there. https://advocaten.nl/tag/invorderingskosten-bij-betalingsachterstanden
//  - Not in LEGAL.md, added here ⚠️: art. 1 Algemene termijnenwet extends a statutory term that ends
//    on a Saturday, Sunday or recognised holiday to the next day that is none of these. Applying it to
//    the 14-day term can only delay charges, never advance them.
// Thread-safety: pure functions.
#pragma once

#include "gateway/core/Regime.h"
#include "parsers/common/Result.h"

#include <optional>

namespace duegate::core {

struct BikResult {
    Money scale;      // the Besluit amount (after minimum and maximum)
    Money vat;        // VAT on top (zero when not asked)
    Money total;      // scale + vat
    std::string basis;
};

struct DutchRules {
    static constexpr int kFourteenDayTermDays = 14;
    static constexpr std::int64_t kBikMinimumCents = 4000;
    static constexpr std::int64_t kBikMaximumCents = 677500;
    static constexpr std::int64_t kCommercialMinimumCents = 4000;

    // BIK for a EUR principal. `vatPercent` (e.g. 21) adds VAT on top, rounded half-up to the cent.
    // Scale rounding: RoundingRule::Down (a maximum is never exceeded by rounding).
    static parsers::Result<BikResult> bik(const Money& principal, std::optional<int> vatPercent = std::nullopt);

    // The 14-day term of the letter received on `received`: days 1..14 = received+1 .. received+14,
    // extended per art. 1 Algemene termijnenwet when day 14 is a Saturday, Sunday or NL holiday.
    static LegalTerm fourteenDayTerm(const CivilDate& received);

    // When the day of receipt is not known: the assumed receipt of a letter sent on `sent`.
    // ⚠️ Our assumption (not law): e-mail the same day, post the 2nd NL working day after sending
    // (conservative: a later receipt only delays charges).
    static CivilDate assumedReceipt(const CivilDate& sent, Medium medium);

    // Commercial transactions: at least €40 (art. 6:96(4) BW).
    static LegalAmount commercialMinimumCompensation();
};

}  // namespace duegate::core
