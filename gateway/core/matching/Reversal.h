// Which earlier matched line a reversal or return undoes.
//
// A reversal (CODA/CAMT reversal flag) or an R-transaction return carries the amount of the original
// credit (either sign) and usually its end-to-end id or reference. The matcher says Undo; the caller
// lists the lines it has matched (live matches only) and this picks the one to undo:
//   same currency and the same absolute amount, booked on or before the reversal, then
//   - the same end-to-end id (non-empty, not "NOTPROVIDED"), else
//   - the same structured reference or remittance reference, else
//   - the same counterparty IBAN,
//   and among equals the latest booking date, then the highest line id.
// std::nullopt when nothing fits: the caller puts the reversal up for review.
// Thread-safety: pure function.
#pragma once

#include "gateway/core/matching/MatchTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::core::matching {

struct PriorMatch {
    std::int64_t lineId = 0;
    std::int64_t amountMinor = 0;     // the original line's amount (> 0)
    std::string currency;
    CivilDate bookingDate;
    std::string reference;            // the original line's structured reference (any layout), may be empty
    std::string remittance;
    std::string endToEndId;
    std::string counterpartyIban;
};

struct ReversalPick {
    std::int64_t lineId = 0;
    std::string basis;                // "end_to_end_id" | "reference" | "counterparty_iban" | "amount"
};

std::optional<ReversalPick> pickReversedLine(const PaymentLine& reversal, const std::vector<PriorMatch>& prior);

}  // namespace duegate::core::matching
