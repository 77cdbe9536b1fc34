// How a payment is imputed on what a debtor owes on one dossier: costs, interest and principal,
// in the order the law sets when the debtor did not (validly) choose otherwise.
//
//   Netherlands: art. 6:44 lid 1 BW: "Een betaling strekt in de eerste plaats in mindering van de
//     kosten, vervolgens in mindering van de verschenen rente en ten slotte in mindering van de
//     hoofdsom en de lopende rente." Costs, then interest, then principal; the creditor may refuse
//     a payment the debtor imputes otherwise (lid 2). The Hoge Raad held in a preliminary ruling that
//     extrajudicial collection costs (the BIK, art. 6:96 BW) are "kosten" in this sense.
//   Belgium: old art. 1254 Civil Code, continued in Book 5 (Law of 28 April 2022; art. 5.215 as the
//     issue cites it: check the number against the published text): a payment on a debt bearing
//     interest goes to the interest before the principal, unless the creditor agrees otherwise.
//     The article does not name collection costs; by the same rule (accessories before the
//     principal) and the practice Belgian debt counselling describes (costs and penalty clause,
//     then interest, then principal), claimed costs (the Book XIX damages, the EUR 40 B2B
//     compensation of the Law of 2 August 2002) are imputed first as well.
// Both countries therefore give the same order (costs, interest, principal); the rule is kept per
// country so a change of either law has one place to go.
// Thread-safety: pure functions over plain values.
#pragma once

#include "gateway/core/Calendar.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace duegate::core {

// What is still owed on a dossier, in minor units (each >= 0; a negative input counts as 0).
struct Owed {
    std::int64_t costs = 0, interest = 0, principal = 0;
};

// One payment's imputation; surplus = what exceeds everything owed (kept as a debtor credit).
struct Allocation {
    std::int64_t costs = 0, interest = 0, principal = 0, surplus = 0;
    std::int64_t applied() const { return costs + interest + principal; }
};

// Imputes `paymentMinor` (>= 0; a negative payment imputes nothing) on `owed` in the legal order
// of `country`. Invariants: each part <= what is owed of it; parts + surplus = payment.
Allocation allocatePayment(Country country, const Owed& owed, std::int64_t paymentMinor);

// The provision the order comes from, for statements and events ("art. 6:44 BW").
std::string_view allocationBasis(Country country);

}  // namespace duegate::core

namespace duegate::core {

// What the agency keeps of the recoverable amounts it collected for a creditor (per creditor,
// `creditor set --keep`): nothing (the creditor gets everything, minus the percentage fee), the
// costs, or the costs and the interest. The principal always goes to the creditor.
enum class KeepMode { None, Costs, CostsAndInterest };
std::optional<KeepMode> parseKeepMode(std::string_view text);  // "none" | "costs" | "costs_and_interest"
std::string_view keepModeName(KeepMode k);
// The part of an imputed payment the agency keeps under `k` (a clawback passes negative parts).
std::int64_t keptPart(KeepMode k, std::int64_t costs, std::int64_t interest);

}  // namespace duegate::core
