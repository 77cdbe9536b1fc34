#include "store/ChargeRepository.h"

namespace duegate::store::charges {

bool claim(Tx& tx, const ChargeRecord& c) {
    auto r = tx.queryOne(
        "INSERT INTO dossier_charges (creditor_id, dossier_id, kind, amount_minor, currency, source, basis, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
        {c.creditorId, c.dossierId, c.kind, c.amountMinor, c.currency, c.source, c.basis, c.createdAt});
    if (!r) return false;
    tx.exec("UPDATE dossiers SET open_minor = open_minor + $2, updated_at = $3 WHERE id = $1",
            {c.dossierId, c.amountMinor, c.createdAt});
    return true;
}

std::vector<ChargeRecord> forDossier(Tx& tx, std::int64_t dossierId) {
    std::vector<ChargeRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, dossier_id, kind, amount_minor, currency, source, basis, "
                                  "created_at FROM dossier_charges WHERE dossier_id = $1 ORDER BY id",
                                  {dossierId}))
        out.push_back(ChargeRecord{r.integer(0), r.integer(1), r.integer(2), r.text(3), r.integer(4), r.text(5),
                                   r.text(6), r.text(7), r.text(8)});
    return out;
}

Outstanding outstanding(Tx& tx, std::int64_t dossierId) {
    Outstanding o;
    auto r = tx.queryOne(
        "SELECT COALESCE((SELECT SUM(amount_minor) FROM dossier_charges WHERE dossier_id = $1 AND kind = 'costs'), 0) "
        "- COALESCE((SELECT SUM(costs_minor) FROM payment_matches WHERE dossier_id = $1 AND undone_at IS NULL), 0), "
        "COALESCE((SELECT SUM(amount_minor) FROM dossier_charges WHERE dossier_id = $1 AND kind = 'interest'), 0) "
        "- COALESCE((SELECT SUM(interest_minor) FROM payment_matches WHERE dossier_id = $1 AND undone_at IS NULL), 0)",
        {dossierId});
    if (r) {
        o.costs = r->integer(0);
        o.interest = r->integer(1);
    }
    return o;
}

bool grantCredit(Tx& tx, const CreditRecord& c, const std::string& status) {
    if (tx.exec("UPDATE dossiers SET open_minor = open_minor - $2, updated_at = $3 "
                "WHERE id = $1 AND creditor_id = $4 AND status = $5 AND open_minor >= $2",
                {c.dossierId, c.amountMinor, c.createdAt, c.creditorId, status}) != 1)
        return false;
    tx.exec("INSERT INTO dossier_credits (creditor_id, dossier_id, amount_minor, currency, reason, user_id, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {c.creditorId, c.dossierId, c.amountMinor, c.currency, c.reason, optionalInt(c.userId), c.createdAt});
    return true;
}

std::vector<CreditRecord> creditsOf(Tx& tx, std::int64_t dossierId) {
    std::vector<CreditRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, dossier_id, amount_minor, currency, reason, user_id, created_at "
                                  "FROM dossier_credits WHERE dossier_id = $1 ORDER BY id",
                                  {dossierId}))
        out.push_back(CreditRecord{r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.text(4), r.text(5),
                                   r.optInteger(6), r.text(7)});
    return out;
}

}  // namespace duegate::store::charges
