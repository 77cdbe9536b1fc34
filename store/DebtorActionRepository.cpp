#include "store/DebtorActionRepository.h"

#include "store/DossierRepository.h"

namespace duegate::store::debtor_actions {
namespace {

// The contact columns a debtor may change, by form field name (never user input as a column).
const char* columnFor(const std::string& field) {
    static const char* const known[] = {"email", "phone", "street", "postcode", "city", "country"};
    for (const char* k : known)
        if (field == k) return k;
    return nullptr;
}

std::optional<std::string> current(const DebtorRecord& d, const std::string& field) {
    if (field == "email") return d.email;
    if (field == "phone") return d.phone;
    if (field == "street") return d.street;
    if (field == "postcode") return d.postcode;
    if (field == "city") return d.city;
    if (field == "country") return d.country;
    return std::nullopt;
}

}  // namespace

std::int64_t countPost(Tx& tx, std::int64_t creditorId, std::int64_t linkId, const std::string& hour) {
    tx.exec("INSERT INTO link_post_counts (creditor_id, link_id, hour, posts) VALUES ($1, $2, $3, 1) "
            "ON CONFLICT (creditor_id, link_id, hour) DO UPDATE SET posts = link_post_counts.posts + 1",
            {creditorId, linkId, hour});
    return tx.queryOne("SELECT posts FROM link_post_counts WHERE creditor_id = $1 AND link_id = $2 AND hour = $3",
                       {creditorId, linkId, hour})
        ->integer(0);
}

bool accept(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, std::optional<std::int64_t> linkId,
            const std::string& at, const std::optional<std::string>& remoteAddress) {
    return tx.queryOne("INSERT INTO invoice_acceptances (creditor_id, dossier_id, link_id, accepted_at, remote_address) "
                       "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (creditor_id, dossier_id) DO NOTHING RETURNING id",
                       {creditorId, dossierId, optionalInt(linkId), at, optionalText(remoteAddress)})
        .has_value();
}

std::optional<Acceptance> acceptance(Tx& tx, std::int64_t creditorId, std::int64_t dossierId) {
    auto r = tx.queryOne("SELECT link_id, accepted_at FROM invoice_acceptances WHERE creditor_id = $1 AND dossier_id = $2",
                         {creditorId, dossierId});
    if (!r) return std::nullopt;
    return Acceptance{r->optInteger(0), r->text(1)};
}

std::int64_t insertDispute(Tx& tx, const DisputeRecord& d) {
    return tx.insertReturningId(
        "INSERT INTO disputes (creditor_id, dossier_id, link_id, reason, message, document_id, after_acceptance, state, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {d.creditorId, d.dossierId, optionalInt(d.linkId), d.reason, d.message, optionalInt(d.documentId),
         std::int64_t{d.afterAcceptance ? 1 : 0}, d.state, d.createdAt});
}

std::vector<DisputeRecord> disputes(Tx& tx, std::int64_t creditorId, std::int64_t dossierId) {
    std::vector<DisputeRecord> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, dossier_id, link_id, document_id, reason, message, state, "
                                  "created_at, after_acceptance FROM disputes WHERE creditor_id = $1 AND dossier_id = $2 "
                                  "ORDER BY id",
                                  {creditorId, dossierId})) {
        DisputeRecord d;
        d.id = r.integer(0);
        d.creditorId = r.integer(1);
        d.dossierId = r.integer(2);
        d.linkId = r.optInteger(3);
        d.documentId = r.optInteger(4);
        d.reason = r.text(5);
        d.message = r.text(6);
        d.state = r.text(7);
        d.createdAt = r.text(8);
        d.afterAcceptance = r.integer(9) != 0;
        out.push_back(std::move(d));
    }
    return out;
}

std::size_t resolveOpenDisputes(Tx& tx, std::int64_t creditorId, std::int64_t dossierId, const std::string& now) {
    return tx.exec("UPDATE disputes SET state = 'resolved', resolved_at = $3 WHERE creditor_id = $1 AND dossier_id = $2 "
                   "AND state = 'open'",
                   {creditorId, dossierId, now});
}

std::vector<ContactChange> updateContact(Tx& tx, std::int64_t creditorId, std::int64_t debtorId,
                                         std::optional<std::int64_t> dossierId, std::optional<std::int64_t> linkId,
                                         const std::vector<ContactChange>& wanted, const std::string& now) {
    std::vector<ContactChange> changed;
    const auto debtor = dossiers::debtor(tx, creditorId, debtorId);
    if (!debtor) return changed;
    for (const auto& w : wanted) {
        const char* column = columnFor(w.field);
        if (!column) continue;
        const auto old = current(*debtor, w.field);
        if (old == w.newValue) continue;
        tx.exec(std::string("UPDATE debtors SET ") + column + " = $3 WHERE id = $1 AND creditor_id = $2",
                {debtorId, creditorId, optionalText(w.newValue)});
        tx.exec("INSERT INTO contact_changes (creditor_id, debtor_id, dossier_id, link_id, field, old_value, new_value, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {creditorId, debtorId, optionalInt(dossierId), optionalInt(linkId), w.field, optionalText(old),
                 optionalText(w.newValue), now});
        changed.push_back(ContactChange{w.field, old, w.newValue});
    }
    return changed;
}

void setLanguage(Tx& tx, std::int64_t creditorId, std::int64_t debtorId, std::int64_t dossierId,
                 const std::string& language) {
    tx.exec("UPDATE debtors SET language = $3 WHERE id = $1 AND creditor_id = $2", {debtorId, creditorId, language});
    tx.exec("UPDATE dossiers SET language = $3 WHERE id = $1 AND creditor_id = $2", {dossierId, creditorId, language});
}

}  // namespace duegate::store::debtor_actions
