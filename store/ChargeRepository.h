// The recoverable amounts claimed on a dossier (costs, interest) and what of them is still owed
// (migration 0017_payout_costs.sql; docs/payments.md "Costs, interest and the payout"), and the
// credits granted on its principal (migration 0020).
// Thread-safety: a Tx per thread, as everywhere in store/.
#pragma once

#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::charges {

struct ChargeRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string kind;  // costs | interest
    std::int64_t amountMinor = 0;
    std::string currency, source, basis, createdAt;
};

// Records a claim and raises dossiers.open_minor by it, once per (dossier, source, kind): false
// (and nothing changed) when that step already claimed it.
bool claim(Tx& tx, const ChargeRecord& c);

std::vector<ChargeRecord> forDossier(Tx& tx, std::int64_t dossierId);

// What is still owed on a dossier of each kind: claims - the kind's part of the live matches.
struct Outstanding {
    std::int64_t costs = 0, interest = 0;
};
Outstanding outstanding(Tx& tx, std::int64_t dossierId);

// A credit the creditor grants on a dossier (migration 0020): it lowers dossiers.open_minor by its
// amount, on the principal only. False (and nothing changed) when the dossier's open amount is
// below the credit or its status is no longer `status` (another transaction moved it meanwhile).
struct CreditRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::int64_t amountMinor = 0;
    std::string currency, reason;
    std::optional<std::int64_t> userId;
    std::string createdAt;
};
bool grantCredit(Tx& tx, const CreditRecord& c, const std::string& status);
std::vector<CreditRecord> creditsOf(Tx& tx, std::int64_t dossierId);

}  // namespace duegate::store::charges
