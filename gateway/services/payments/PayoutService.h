// The weekly payout (issue 9, item 6): what the agency collected on its client account for each
// creditor, minus the agency's fee, transferred by one SEPA pain.001.001.09 file per run.
//
// runPayout(date): per creditor and currency, every live match on an agency-account line booked
// (matched) before the end of `date` (UTC) and not paid out before, minus matches undone after
// they were paid out (clawbacks). Each match carries its imputation (principal, interest, costs:
// core/PaymentAllocation.h); the agency keeps kept = the costs, or the costs and the interest, of
// each paid match as creditors.payout_keep says (none by default; a clawback takes back exactly
// what its payout kept); fee = (gross - kept) x creditors.fee_basis_points / 10000 (rounded half
// up; default 0); transferred = gross - fee - kept, to the cent in the pain.001 file, the CSV
// statement (per payment: amount, principal, interest, costs, kept) and the payout_made event. A creditor whose net is not positive, who has no IBAN, or whose currency is not
// EUR is skipped (the amounts wait for the next run; the reason is in `skipped`). One payouts row
// per creditor, currency and period end (UNIQUE): a period already paid out pays nothing again,
// and payout_items make each match paid out at most once. In ONE transaction: the rows, the
// pain.001 file written into `dir` (temp, fsync, rename; removed again if the commit fails), a CSV
// payout statement per creditor (dossiers and payments; in `dir` and the blob store) mailed to
// the creditor through the outbox, and a `payout_made` event.
// Thread-safety: runs one at a time (PostgreSQL advisory lock; SQLite's writer lock).
#pragma once

#include "gateway/services/Context.h"
#include "parsers/common/CivilDate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services::payments {

struct PayoutItem {
    std::int64_t creditorId = 0;
    std::int64_t amountMinor = 0;  // transferred (after the fee)
    std::string currency;
    std::size_t payments = 0;      // matches paid out (and clawed back)
};

struct PayoutRun {
    std::optional<std::string> file;  // the pain.001 file, none when nothing was paid out
    std::vector<PayoutItem> payouts;
    std::vector<std::string> skipped;
};

// Throws InputError when the agency's account ([agency] iban) is not set up.
PayoutRun runPayout(Context& ctx, const std::string& dir, const parsers::CivilDate& date);

// The JSON line `duegate payout run` prints: {"file", "payouts": [{"creditor", "amount", "currency", "payments"}]}.
std::string payoutJson(const PayoutRun& run);

}  // namespace duegate::services::payments
