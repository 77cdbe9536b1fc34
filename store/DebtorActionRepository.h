// What a debtor does through a personal link (migration 0007): the per-link POST counter (rate
// limit), the acceptance of the invoice, disputes, contact changes and the remembered language.
// Promises and payment plans are the dunning engine's tables (0004); see DebtorActions.h.
// Every function runs inside the caller's transaction; rows are always named with their creditor.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::debtor_actions {

// Counts one POST of the link in `hour` ('YYYY-MM-DDTHH') and returns the count including it.
std::int64_t countPost(Tx& tx, std::int64_t creditorId, std::int64_t linkId, const std::string& hour);

struct Acceptance {
    std::optional<std::int64_t> linkId;
    std::string acceptedAt;
};
// Records the acceptance once per dossier; false when it was accepted before (the first one stays).
bool accept(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, std::optional<std::int64_t> linkId,
            const std::string& at, const std::optional<std::string>& remoteAddress);
std::optional<Acceptance> acceptance(Tx& tx, std::int64_t creditorId, std::int64_t dossierId);

struct DisputeRecord {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::optional<std::int64_t> linkId, documentId;
    std::string reason, message, state, createdAt;
    bool afterAcceptance = false;
};
std::int64_t insertDispute(Tx& tx, const DisputeRecord& d);
// Oldest first.
std::vector<DisputeRecord> disputes(Tx& tx, std::int64_t creditorId, std::int64_t dossierId);

// Marks the dossier's open disputes resolved; returns how many.
std::size_t resolveOpenDisputes(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, const std::string& now);

struct ContactChange {
    std::string field;
    std::optional<std::string> oldValue, newValue;
};
// Writes the debtor's contact fields (email, phone, street, postcode, city, country) that differ
// from the row and records one contact_changes row per changed field; returns what changed.
std::vector<ContactChange> updateContact(Tx& tx, std::int64_t creditorId, std::int64_t debtorId,
                                         std::optional<std::int64_t> dossierId, std::optional<std::int64_t> linkId,
                                         const std::vector<ContactChange>& wanted, const std::string& now);

// The remembered language on the dossier and on its debtor.
void setLanguage(Tx& tx, std::int64_t creditorId, std::int64_t debtorId, std::int64_t dossierId,
                 const std::string& language);

}  // namespace duegate::store::debtor_actions
