#include "store/CreditorRepository.h"

#include <algorithm>
#include <cctype>

namespace duegate::store {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

const char* kCreditorColumns =
    "id, name, intake_address, email, iban, bic, collect_to, policy, fee_basis_points, sender_auth, payout_keep";

CreditorRecord creditorFrom(const Row& r) {
    CreditorRecord c;
    c.id = r.integer(0);
    c.name = r.text(1);
    c.intakeAddress = r.text(2);
    c.email = r.optText(3);
    c.iban = r.optText(4);
    c.bic = r.optText(5);
    c.collectTo = r.text(6);
    c.policy = r.optText(7);
    c.feeBasisPoints = r.integer(8);
    c.senderAuth = r.text(9);
    c.payoutKeep = r.text(10);
    return c;
}

std::optional<CreditorRecord> oneCreditor(Tx& tx, const std::string& where, const Value& v) {
    auto row = tx.queryOne(std::string("SELECT ") + kCreditorColumns + " FROM creditors WHERE " + where, {v});
    if (!row) return std::nullopt;
    return creditorFrom(*row);
}

UserRecord userFrom(const Row& r) {
    return UserRecord{r.integer(0), r.optInteger(1), r.text(2), r.text(3), r.text(4), r.text(5)};
}

}  // namespace

namespace creditors {

std::int64_t insert(Tx& tx, const CreditorRecord& c, const std::string& apiKeyHash, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO creditors (name, intake_address, email, iban, bic, api_key_hash, created_at, collect_to, policy, "
        "fee_basis_points, sender_auth, payout_keep) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
        "RETURNING id",
        {c.name, lower(c.intakeAddress), c.email ? Value(lower(*c.email)) : nullValue(), optionalText(c.iban),
         optionalText(c.bic), apiKeyHash, now, c.collectTo, optionalText(c.policy), c.feeBasisPoints, c.senderAuth,
         c.payoutKeep});
}

void update(Tx& tx, const CreditorRecord& c) {
    tx.exec("UPDATE creditors SET name = $2, email = $3, iban = $4, bic = $5, collect_to = $6, policy = $7, "
            "fee_basis_points = $8, sender_auth = $9, payout_keep = $10 WHERE id = $1",
            {c.id, c.name, c.email ? Value(lower(*c.email)) : nullValue(), optionalText(c.iban), optionalText(c.bic),
             c.collectTo, optionalText(c.policy), c.feeBasisPoints, c.senderAuth, c.payoutKeep});
}

bool addSender(Tx& tx, std::int64_t creditorId, const std::string& pattern, const std::string& now) {
    return tx.exec("INSERT INTO creditor_senders (creditor_id, pattern, created_at) VALUES ($1, $2, $3) "
                   "ON CONFLICT (creditor_id, pattern) DO NOTHING",
                   {creditorId, lower(pattern), now}) == 1;
}

std::vector<std::string> senders(Tx& tx, std::int64_t creditorId) {
    std::vector<std::string> out;
    for (const auto& r :
         tx.query("SELECT pattern FROM creditor_senders WHERE creditor_id = $1 ORDER BY pattern", {creditorId}))
        out.push_back(r.text(0));
    return out;
}

bool addIban(Tx& tx, std::int64_t creditorId, const std::string& iban, const std::optional<std::string>& bic,
             const std::string& now) {
    if (tx.exec("INSERT INTO creditor_ibans (creditor_id, iban, bic, created_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (creditor_id, iban) DO NOTHING",
                {creditorId, iban, optionalText(bic), now}) == 1)
        return true;
    if (bic) tx.exec("UPDATE creditor_ibans SET bic = $3 WHERE creditor_id = $1 AND iban = $2", {creditorId, iban, *bic});
    return false;
}

std::vector<CreditorIbanRecord> ibans(Tx& tx, std::int64_t creditorId) {
    std::vector<CreditorIbanRecord> out;
    for (const auto& r :
         tx.query("SELECT iban, bic FROM creditor_ibans WHERE creditor_id = $1 ORDER BY id", {creditorId}))
        out.push_back(CreditorIbanRecord{r.text(0), r.optText(1)});
    return out;
}

std::optional<std::int64_t> creditorOfIban(Tx& tx, const std::string& iban) {
    auto r = tx.queryOne("SELECT creditor_id FROM creditor_ibans WHERE iban = $1 ORDER BY creditor_id LIMIT 1", {iban});
    if (!r) return std::nullopt;
    return r->integer(0);
}

std::optional<CreditorRecord> byId(Tx& tx, std::int64_t id) { return oneCreditor(tx, "id = $1", id); }

std::optional<CreditorRecord> byIntakeAddress(Tx& tx, const std::string& address) {
    return oneCreditor(tx, "intake_address = $1", lower(address));
}

std::optional<std::int64_t> idByIntakeAddress(Tx& tx, const std::string& address) {
    auto row = tx.queryOne("SELECT id FROM creditors WHERE intake_address = $1", {lower(address)});
    if (!row) return std::nullopt;
    return row->integer(0);
}

std::optional<CreditorRecord> byApiKeyHash(Tx& tx, const std::string& hash) {
    return oneCreditor(tx, "api_key_hash = $1", hash);
}

std::vector<CreditorRecord> all(Tx& tx) {
    std::vector<CreditorRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kCreditorColumns + " FROM creditors ORDER BY id"))
        out.push_back(creditorFrom(r));
    return out;
}

bool isKnownSender(Tx& tx, std::int64_t creditorId, const std::string& address) {
    const std::string a = lower(address);
    if (a.empty()) return false;
    const auto at = a.rfind('@');
    const std::string domain = at == std::string::npos ? std::string() : a.substr(at);
    return tx.queryOne("SELECT 1 FROM creditors WHERE id = $1 AND email = $2 "
                       "UNION SELECT 1 FROM users WHERE creditor_id = $1 AND email = $2 "
                       "UNION SELECT 1 FROM creditor_senders WHERE creditor_id = $1 AND (pattern = $2 OR pattern = $3)",
                       {creditorId, a, domain.empty() ? a : domain})
        .has_value();
}

}  // namespace creditors

namespace users {

std::int64_t insert(Tx& tx, const UserRecord& u, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO users (creditor_id, email, name, role, password_hash, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        {optionalInt(u.creditorId), lower(u.email), u.name, u.role, u.passwordHash, now});
}

std::optional<UserRecord> byEmail(Tx& tx, const std::string& email) {
    auto r = tx.queryOne("SELECT id, creditor_id, email, name, role, password_hash FROM users WHERE email = $1",
                         {lower(email)});
    if (!r) return std::nullopt;
    return userFrom(*r);
}

std::optional<UserRecord> byId(Tx& tx, std::int64_t id) {
    auto r = tx.queryOne("SELECT id, creditor_id, email, name, role, password_hash FROM users WHERE id = $1", {id});
    if (!r) return std::nullopt;
    return userFrom(*r);
}

void insertSession(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& csrf,
                   const std::string& now, const std::string& expiresAt) {
    tx.exec("INSERT INTO portal_sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            {tokenHash, userId, csrf, now, expiresAt});
}

std::optional<SessionRecord> session(Tx& tx, const std::string& tokenHash, const std::string& now) {
    auto r = tx.queryOne("SELECT user_id, csrf_token FROM portal_sessions WHERE token_hash = $1 AND expires_at > $2",
                         {tokenHash, now});
    if (!r) return std::nullopt;
    return SessionRecord{r->integer(0), r->text(1)};
}

void deleteSession(Tx& tx, const std::string& tokenHash) {
    tx.exec("DELETE FROM portal_sessions WHERE token_hash = $1", {tokenHash});
}

}  // namespace users
}  // namespace duegate::store
