#include "store/ContactRepository.h"

#include "store/DossierRepository.h"

namespace duegate::store::contact {

bool smsOff(Tx& tx, std::int64_t debtorId) {
    auto r = tx.queryOne("SELECT sms_off_at FROM debtors WHERE id = $1", {debtorId});
    return r && !r->isNull(0);
}

void setSmsOff(Tx& tx, std::int64_t debtorId, const std::string& reason, const std::string& now) {
    tx.exec("UPDATE debtors SET sms_off_at = $2, sms_off_reason = $3 WHERE id = $1 AND sms_off_at IS NULL",
            {debtorId, now, reason});
}

std::vector<DebtorRecord> debtorsWithPhoneEnding(Tx& tx, const std::string& lastDigits, std::size_t limit) {
    // Digits only, so the LIKE pattern holds no wildcard from the caller.
    std::string digits;
    for (char c : lastDigits)
        if (c >= '0' && c <= '9') digits += c;
    std::vector<DebtorRecord> out;
    if (digits.empty()) return out;
    const auto rows = tx.query(
        "SELECT id FROM debtors WHERE phone IS NOT NULL AND REPLACE(REPLACE(REPLACE(REPLACE(phone, ' ', ''), '.', ''), "
        "'-', ''), '/', '') LIKE $1 ORDER BY id LIMIT $2",
        {"%" + digits, static_cast<std::int64_t>(limit)});
    for (const auto& r : rows)
        if (auto d = dossiers::debtor(tx, std::nullopt, r.integer(0))) out.push_back(*d);
    return out;
}

std::vector<DossierRecord> openDossiers(Tx& tx, std::int64_t debtorId) {
    std::vector<DossierRecord> out;
    for (const auto& r : tx.query("SELECT id FROM dossiers WHERE debtor_id = $1 AND status NOT IN ('paid', 'closed') "
                                  "ORDER BY id",
                                  {debtorId}))
        if (auto d = dossiers::dossier(tx, std::nullopt, r.integer(0))) out.push_back(*d);
    return out;
}

std::int64_t insertPause(Tx& tx, const Pause& p, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO dossier_pauses (creditor_id, dossier_id, reason, until_date, created_at) VALUES ($1, $2, $3, $4, "
        "$5) RETURNING id",
        {p.creditorId, p.dossierId, p.reason, optionalText(p.untilDate), now});
}

std::vector<Pause> activePauses(Tx& tx, std::int64_t dossierId, const std::string& today) {
    std::vector<Pause> out;
    for (const auto& r :
         tx.query("SELECT id, creditor_id, dossier_id, reason, until_date, created_at FROM dossier_pauses "
                  "WHERE dossier_id = $1 AND ended_at IS NULL AND (until_date IS NULL OR until_date >= $2) ORDER BY id",
                  {dossierId, today})) {
        out.push_back(Pause{r.integer(0), r.integer(1), r.integer(2), r.text(3), r.optText(4), r.text(5)});
    }
    return out;
}

}  // namespace duegate::store::contact
