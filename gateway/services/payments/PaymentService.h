// Payments: bank statements imported once, their lines matched to dossiers, and the finance team's
// manual work on the queue (issue 9; docs/payments.md).
//
// importStatement() reads a CODA, CAMT.053/054/052 or MT940 file (or a zip of them) as a stream,
// finds whose account each statement is on (the [agency] IBAN: every agency-mode creditor's
// dossiers are candidates; a creditor's registered IBAN: that creditor's dossiers; anything else
// rejects the whole file), and stores every booked entry as a line in ONE transaction with
// ON CONFLICT DO NOTHING on the line's natural key (store/PaymentRepository.h). In that same
// transaction, batch by batch as they are stored, the new lines go through the matcher
// (gateway/core/matching) and each verdict is booked with its effects (BatchBooking.h: set-based,
// a few statements per few hundred lines), so each line's state row is written once, with its
// verdict. A bad file or an unknown account rolls everything back, matches and their effects
// included: nothing is imported and the error says where. matchPending() books lines left in state
// 'new' the same way, in transactions of 500 lines. The effects of a verdict:
//   Apply     payment_matches rows, dossiers.paid_minor / open_minor, status 'paid' when nothing is
//             open (planned messages of the dossier cancelled), events payment_matched and
//             dossier_paid, a mail to the creditor and a thank-you to the debtor (outbox); a surplus
//             becomes a debtor credit and a payment_review task;
//   Suggest   state 'suggested' with the top 3 suggestions;
//   Review    state 'review' and a payment_review task (another currency, an inexact amount such as a
//             CODA 3-decimal amount, a dossier already paid: then the line is kept as a debtor credit);
//   Undo      a reversal or return: the earlier line's live matches are undone (payment_unmatched,
//             status back to active, amounts recalculated);
//   Unmatched state 'unmatched' ('ignored' for debits that pay nothing).
// Match before chase: hasUnmatchedWork() is true while a creditor has lines the matcher has not seen.
// Matching runs one at a time (PostgreSQL advisory lock; SQLite's writer lock), so two imports of
// the same file at once store each line once and match it once.
//
// Manual work (portal and API): confirm a suggestion, match by hand over one or several dossiers
// (Conflict when it would apply more than the line or than a dossier's open amount), mark a line
// not ours / refund / bank costs, undo a line's matches with a reason. Every action is a
// payment_actions row and, where a creditor is concerned, an event naming the actor.
// Scope: a creditor sees the lines of its own accounts and the lines matched to its dossiers;
// anything else is NotFound, exactly like a missing id.
// Thread-safety: every function takes the Context and runs its own transactions.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "store/PaymentRepository.h"
#include "store/Sql.h"

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::services::payments {

// The action would apply more than the line holds or than a dossier has open (HTTP 409).
struct Conflict : std::runtime_error {
    using std::runtime_error::runtime_error;
    // What was exceeded, for a message in the reader's language (the portal): "line" (what is left
    // of the line, `leftMinor`), "open" (dossier `dossierId`'s open amount, `leftMinor`), or "".
    std::string exceeded;
    std::int64_t dossierId = 0, leftMinor = 0;
    Conflict(const std::string& what, std::string exceeded_, std::int64_t dossier, std::int64_t left)
        : std::runtime_error(what), exceeded(std::move(exceeded_)), dossierId(dossier), leftMinor(left) {}
};

// A file rejected as a whole (bad content, unknown account): nothing was imported.
struct Rejected : InputError {
    using InputError::InputError;
};

// Where a statement file came from. `door` = cli | api | portal | drop | mail. A creditor door
// (api, portal for a creditor user, drop, mail) may import only statements of that creditor's own
// registered IBANs; cli and staff (no creditor) import for whichever account the file names.
struct StatementSource {
    std::string door = "cli";
    std::optional<std::int64_t> creditorId;
    std::string sha256;                    // the raw file in the blob store
    std::optional<std::int64_t> inboundItemId;
    // Run inside the import transaction: first (may record the inbound item and return its id),
    // and last, before the commit (moves the item to 'applied').
    std::function<std::optional<std::int64_t>(store::Tx&)> begin;
    std::function<void(store::Tx&)> end;
};

struct StatementOutcome {
    std::size_t statements = 0, entries = 0, duplicates = 0, matched = 0, suggested = 0, unmatched = 0;
    std::vector<std::string> gaps;         // balance-chain gaps found, one sentence each
};

// True when the bytes look like a bank statement file (CODA, CAMT, MT940, a zip of them).
bool sniffStatement(std::string_view head);

// Imports and matches. `in` must be seekable (the streaming readers rewind once); `head` is at
// least the first KiB of it, for sniffing. Throws Rejected (nothing imported) or store errors.
StatementOutcome importStatement(Context& ctx, std::istream& in, std::string_view head, const StatementSource& source);

struct MatchStats {
    std::size_t matched = 0, suggested = 0, unmatched = 0;
};
// Runs the matcher over every line in state 'new' (all accounts, or one account owner).
MatchStats matchPending(Context& ctx, const std::optional<std::string>& accountOwner = std::nullopt);

// Match before chase: true while this creditor may have a payment the matcher has not seen (a 'new'
// line on its own account or on the agency's account). The dunning run calls it in its transaction.
bool hasUnmatchedWork(store::Tx& tx, std::int64_t creditorId);

// ---- the queue and manual work ----

struct QueueSuggestion {
    std::int64_t dossierId = 0;
    int score = 0;
    std::string reason, dossierReference;
};
struct QueueDossier {
    std::int64_t dossierId = 0, amountMinor = 0, matchId = 0;
    std::string reference, rule, actor;
};
struct QueueItem {
    store::payments::LineRecord line;
    std::string statement;                     // store::payments::statementLabel
    std::string state, rule, reason;
    std::int64_t appliedMinor = 0;
    std::vector<QueueDossier> dossiers;        // live matches
    std::vector<QueueSuggestion> suggestions;  // best first
};

// Lines in scope; `states` empty = all; "unmatched" also lists 'review' and 'new' lines.
std::vector<QueueItem> listPayments(Context& ctx, const Principal& who, const std::vector<std::string>& states,
                                    std::size_t limit = 500, std::int64_t afterId = 0);
// The same with the portal queue's filters (store::payments::LineFilter; states as above).
std::vector<QueueItem> listPayments(Context& ctx, const Principal& who, store::payments::LineFilter filter,
                                    std::size_t limit, std::int64_t afterId);
std::optional<QueueItem> payment(Context& ctx, const Principal& who, std::int64_t lineId);

struct ManualAllocation {
    std::int64_t dossierId = 0;
    std::int64_t amountMinor = 0;  // > 0
};
// Applies the line by hand. NotFound for a line or dossier outside the scope; InputError for a
// malformed request (no dossiers, amount <= 0, other currency); Conflict when the allocations
// exceed what is left of the line or a dossier's open amount.
void matchByHand(Context& ctx, const Principal& who, std::int64_t lineId, const std::vector<ManualAllocation>& split,
                 const std::string& rule = "manual");
// Confirms one of the line's suggestions: the dossier gets min(what is left of the line, its open amount).
void confirmSuggestion(Context& ctx, const Principal& who, std::int64_t lineId, std::int64_t dossierId);
// not_ours | refund | bank_costs: the line leaves the queue (only while nothing is matched on it).
void markLine(Context& ctx, const Principal& who, std::int64_t lineId, const std::string& mark,
              const std::string& reason);
// Undoes every live match of the line (and cancels its open credits); the line goes back to the queue.
void undoLine(Context& ctx, const Principal& who, std::int64_t lineId, const std::string& reason);

// A line's amount as a decimal in the line's own exponent ("12.50"; a CODA 3-decimal "12.505").
std::string lineDecimal(const store::payments::LineRecord& line);

// "user:<id> <email>" | "api:creditor:<id>" | "staff": how an action names who did it.
std::string actorName(const Principal& who);

}  // namespace duegate::services::payments
