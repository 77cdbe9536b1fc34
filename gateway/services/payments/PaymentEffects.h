// The effects of a payment decision, in the caller's transaction (PaymentService.h describes
// them): booking a matcher verdict, applying an amount of a line to a dossier, undoing a line.
// Internal to gateway/services/payments.
#pragma once

#include "gateway/core/Calendar.h"
#include "gateway/core/matching/MatchIndex.h"
#include "gateway/services/Context.h"
#include "gateway/services/OutboxService.h"
#include "store/PaymentRepository.h"

#include <cstdint>
#include <optional>
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
// The same without writing the line's own state: `state` receives it, for the caller to write
// (a batch writes many states in one statement; an import inserts the line's first state row).
Booked bookVerdictEffects(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                          const core::matching::Verdict& verdict, core::matching::MatchIndex* index,
                          store::payments::LineState& state);

// Applies up to `amountMinor` of the line to the dossier (capped at what the dossier has open
// now); returns the amount applied. Match row, paid/open amounts, status, planned messages
// cancelled when paid, events, mails to creditor and debtor.
std::int64_t applyAllocation(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                             std::int64_t dossierId, std::int64_t amountMinor, const std::string& rule,
                             const std::string& fields, const std::string& actor, core::matching::MatchIndex* index);

// The dossier status after its paid / open amounts moved: 'paid' when nothing is open (if the
// status allows), back to 'active' when a paid dossier opens again; else unchanged.
std::string statusAfter(const std::string& before, std::int64_t paidMinor, std::int64_t openMinor);

// One amount of a line applied to a dossier, and what it says: the payment_matched and
// dossier_paid events, the mail to the creditor and the thank-you to the debtor. Shared by
// applyAllocation and the batch booking (BatchBooking.h), so both say the same.
struct Allocated {
    std::int64_t creditorId = 0, dossierId = 0, debtorId = 0;
    std::string reference, currency;
    std::int64_t amountMinor = 0, openMinor = 0;  // applied; open after it
    bool paid = false, paidNow = false;           // paid after it; paid by it
    std::int64_t matchId = 0;
    // Its imputation (gateway/core/PaymentAllocation.h): the claimed costs and interest it paid, in
    // the order of `law`; the rest is principal. Stored on the match (costs_minor, interest_minor).
    std::int64_t costsMinor = 0, interestMinor = 0;
    core::Country law = core::Country::BE;
};
// The law that imputes a payment: the debtor's country (Dutch debtors NL, everyone else BE, as the
// dunning engine decides the regime).
core::Country countryOf(const std::optional<std::string>& debtorCountry);
// Whether the creditor's "payment received" mail goes to its contact address: only when it has no
// portal users (with users, their notification settings decide: NotificationService.h).
bool tellsContactAddress(store::Tx& tx, std::int64_t creditorId);
store::EventRecord matchedEvent(const Context& ctx, const store::payments::LineRecord& line, const Allocated& a,
                                const std::string& rule, const std::string& actor);
store::EventRecord paidEvent(const Context& ctx, const Allocated& a);
QueuedMessage creditorMail(const Context& ctx, const store::payments::LineRecord& line, const Allocated& a,
                           const std::string& email);
QueuedMessage debtorMail(const Context& ctx, const Allocated& a, const std::string& name, const std::string& email);
// The verdict's fields, comma-separated (payment_matches.fields).
std::string joinFields(const std::vector<std::string>& fields);

// Undoes every live match of the line and cancels its open credits; returns the amount undone.
std::int64_t undoLineMatches(Context& ctx, store::Tx& tx, const store::payments::LineRecord& line,
                             const std::string& actor, const std::string& reason,
                             core::matching::MatchIndex* index = nullptr);

// A payment_review task for a person (dedupe per line).
void reviewTask(Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
                std::int64_t lineId, const std::string& title, const std::string& details);

}  // namespace duegate::services::payments
