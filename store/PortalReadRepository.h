// Read models of the creditor and staff portal: one query per page, never one per row.
// Every function takes the creditor scope (std::nullopt = agency staff: all creditors).
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::portal_reads {

using Scope = std::optional<std::int64_t>;

struct StatusTotal {
    std::string status, currency;
    std::int64_t dossiers = 0, openMinor = 0, paidMinor = 0;
};
std::vector<StatusTotal> statusTotals(Tx& tx, Scope scope);

// Open dossiers (active, promised, plan, disputed, legal) in `currency` by age of their earliest
// due date, aggregated in SQL (a dashboard at 100,000 dossiers reads four rows, not 100,000):
// bucket 0 = due on or after dueFrom[0] (or no due date), 1 = on or after dueFrom[1], 2 = on or after
// dueFrom[2], 3 = older. Dates are YYYY-MM-DD.
struct AgeBucket {
    std::int64_t dossiers = 0, openMinor = 0;
};
std::array<AgeBucket, 4> ageing(Tx& tx, Scope scope, const std::string& currency,
                                const std::array<std::string, 3>& dueFrom);

// Paid amounts in `currency` of dossiers last updated on or after `sinceDate`, per day of that update.
struct PaidDay {
    std::string day;  // YYYY-MM-DD
    std::int64_t paidMinor = 0;
};
std::vector<PaidDay> paidPerDay(Tx& tx, Scope scope, const std::string& currency, const std::string& sinceDate);

// Sum of invoice amounts (credit notes negative) in `currency` issued on or after `sinceDate`.
std::int64_t invoicedSince(Tx& tx, Scope scope, const std::string& sinceDate, const std::string& currency);

struct DossierRow {
    std::int64_t id = 0, creditorId = 0, openMinor = 0;
    std::string reference, status, currency, createdAt;
    std::string debtorName, debtorEmail, creditorName, dueDate;
};
struct Search {
    std::string text;                         // debtor name / e-mail, invoice number, dossier or payment reference
    std::optional<std::int64_t> amountMinor;  // open amount or an invoice amount equal to this
    std::optional<std::string> status;
    std::optional<std::string> createdFrom, createdTo;  // YYYY-MM-DD, inclusive
    std::int64_t beforeId = 0;                // keyset: ids below this one (0 = from the newest)
    std::size_t limit = 50;
};
// Newest first; closed and paid dossiers included unless a status filter says otherwise.
std::vector<DossierRow> search(Tx& tx, Scope scope, const Search& s);

}  // namespace duegate::store::portal_reads
