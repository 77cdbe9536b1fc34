// What the channels need to know about reaching a debtor: the SMS opt-out (STOP, Twilio 21610),
// finding debtors by phone number for inbound SMS, their open dossiers, and dossier pauses.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::contact {

bool smsOff(Tx& tx, std::int64_t debtorId);
// Idempotent: the first reason and time are kept.
void setSmsOff(Tx& tx, std::int64_t debtorId, const std::string& reason, const std::string& now);

// Debtors (of every creditor: inbound SMS names no creditor) whose phone, as written, ends in
// `lastDigits`; the caller normalises and compares exactly.
std::vector<DebtorRecord> debtorsWithPhoneEnding(Tx& tx, const std::string& lastDigits, std::size_t limit);
// Dossiers of the debtor that are not paid or closed, oldest first.
std::vector<DossierRecord> openDossiers(Tx& tx, std::int64_t debtorId);

struct Pause {
    std::int64_t id = 0, creditorId = 0, dossierId = 0;
    std::string reason;
    std::optional<std::string> untilDate;
    std::string createdAt;
};
std::int64_t insertPause(Tx& tx, const Pause& p, const std::string& now);
// Pauses not ended whose until_date is absent or >= today.
std::vector<Pause> activePauses(Tx& tx, std::int64_t dossierId, const std::string& today);

}  // namespace duegate::store::contact
