// The effects of a payment decision, in the caller's transaction (PaymentService.h describes
// them): booking a matcher verdict, applying an amount of a line to a dossier, undoing a line.
// Internal to gateway/services/payments.
#pragma once

#include "gateway/core/matching/MatchIndex.h"
#include "gateway/services/Context.h"
#include "store/PaymentRepository.h"

#include <cstdint>
#include <string>

namespace duegate::services::payments {

enum class Booked { Matched, Suggested, Other };

// The line state a verdict without effects gives (Suggest, Unmatched), for a batched write; none
// when the verdict has effects and must go through bookVerdict.
// The matcher's view of a stored line: the amount in the currency's minor units (a 3-decimal CODA
// amount truncated, with exact = false so it is never applied automatically), the line's
// creditor scope when it is a creditor's own account.
core::matching::PaymentLine paymentLine(const store::payments::LineRecord& l);

std::optional<store::payments::LineState> plainState(const store::payments::LineRecord& line,
                                                     const core::matching::Verdict& verdict);

// Books the verdict for a line in state 'new' (a line another process moved on is left alone).
// `index` is kept in step with what is applied or undone (may be null).
Booked bookVerdict(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                   const core::matching::Verdict& verdict, core::matching::MatchIndex* index);

// Applies up to `amountMinor` of the line to the dossier (capped at what the dossier has open
// now); returns the amount applied. Match row, paid/open amounts, status, planned messages
// cancelled when paid, events, mails to creditor and debtor.
std::int64_t applyAllocation(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                             std::int64_t dossierId, std::int64_t amountMinor, const std::string& rule,
                             const std::string& fields, const std::string& actor, core::matching::MatchIndex* index);

// Undoes every live match of the line and cancels its open credits; returns the amount undone.
std::int64_t undoLineMatches(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                             const std::string& actor, const std::string& reason,
                             core::matching::MatchIndex* index = nullptr);

// A payment_review task for a person (dedupe per line).
void reviewTask(Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
                std::int64_t lineId, const std::string& title, const std::string& details);

}  // namespace duegate::services::payments
