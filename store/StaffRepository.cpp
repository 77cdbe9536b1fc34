#include "store/StaffRepository.h"

namespace duegate::store::staff {
namespace {

const char* kUserColumns = "id, creditor_id, email, name, role, password_hash, is_admin, disabled_at, "
                           "(SELECT COUNT(*) FROM user_totp t WHERE t.user_id = users.id AND t.enabled_at IS NOT NULL)";

UserRow userRowFrom(const Row& r) {
    UserRow u;
    u.user = UserRecord{r.integer(0), r.optInteger(1), r.text(2), r.text(3), r.text(4), r.text(5)};
    u.admin = r.integer(6) != 0;
    u.disabledAt = r.optText(7);
    u.totpEnabled = r.integer(8) != 0;
    return u;
}

}  // namespace

bool assignDossier(Tx& tx, Scope scope, std::int64_t dossierId, std::optional<std::int64_t> userId) {
    std::vector<Value> params{dossierId, optionalInt(userId)};
    std::string sql = "UPDATE dossiers SET case_manager_id = $2 WHERE id = $1";
    if (scope) {
        params.push_back(*scope);
        sql += " AND creditor_id = $3";
    }
    if (tx.exec(sql, params) != 1) return false;
    tx.exec("UPDATE tasks SET assignee_id = $2 WHERE dossier_id = $1 AND state = 'open'",
            {dossierId, optionalInt(userId)});
    return true;
}

std::size_t cancelOpenTasks(Tx& tx, std::int64_t dossierId, const std::string& now) {
    return tx.exec("UPDATE tasks SET state = 'cancelled', closed_at = $2 WHERE dossier_id = $1 AND state = 'open'",
                   {dossierId, now});
}

std::vector<UserRow> users(Tx& tx, Scope scope) {
    std::vector<Value> params;
    std::string sql = std::string("SELECT ") + kUserColumns + " FROM users";
    if (scope) {
        params.push_back(*scope);
        sql += " WHERE creditor_id = $1";
    }
    sql += " ORDER BY email";
    std::vector<UserRow> out;
    for (const auto& r : tx.query(sql, params)) out.push_back(userRowFrom(r));
    return out;
}

std::optional<UserRow> user(Tx& tx, Scope scope, std::int64_t userId) {
    std::vector<Value> params{userId};
    std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1";
    if (scope) {
        params.push_back(*scope);
        sql += " AND creditor_id = $2";
    }
    auto r = tx.queryOne(sql, params);
    if (!r) return std::nullopt;
    return userRowFrom(*r);
}

std::vector<UserRecord> activeStaff(Tx& tx) {
    std::vector<UserRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kUserColumns +
                                  " FROM users WHERE role = 'staff' AND disabled_at IS NULL ORDER BY name, id"))
        out.push_back(userRowFrom(r).user);
    return out;
}

void setAdmin(Tx& tx, std::int64_t userId, bool admin) {
    tx.exec("UPDATE users SET is_admin = $2 WHERE id = $1", {userId, static_cast<std::int64_t>(admin ? 1 : 0)});
}

bool setDisabled(Tx& tx, Scope scope, std::int64_t userId, const std::optional<std::string>& now) {
    std::vector<Value> params{userId, optionalText(now)};
    std::string sql = "UPDATE users SET disabled_at = $2 WHERE id = $1";
    if (scope) {
        params.push_back(*scope);
        sql += " AND creditor_id = $3";
    }
    if (tx.exec(sql, params) != 1) return false;
    if (now) tx.exec("DELETE FROM portal_sessions WHERE user_id = $1", {userId});
    return true;
}

bool isDisabled(Tx& tx, std::int64_t userId) {
    auto r = tx.queryOne("SELECT disabled_at FROM users WHERE id = $1", {userId});
    return r && !r->isNull(0);
}

std::int64_t insertApiKey(Tx& tx, std::int64_t creditorId, const std::string& name, const std::string& keyHash,
                          std::optional<std::int64_t> createdBy, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO api_keys (creditor_id, name, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) "
        "RETURNING id",
        {creditorId, name, keyHash, optionalInt(createdBy), now});
}

std::vector<ApiKeyRow> apiKeys(Tx& tx, std::int64_t creditorId) {
    std::vector<ApiKeyRow> out;
    for (const auto& r : tx.query("SELECT id, creditor_id, name, created_at, created_by, revoked_at FROM api_keys "
                                  "WHERE creditor_id = $1 ORDER BY id",
                                  {creditorId}))
        out.push_back(ApiKeyRow{r.integer(0), r.integer(1), r.text(2), r.text(3), r.optInteger(4), r.optText(5)});
    return out;
}

bool revokeApiKey(Tx& tx, std::int64_t creditorId, std::int64_t keyId, const std::string& now) {
    return tx.exec("UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND creditor_id = $2 AND revoked_at IS NULL",
                   {keyId, creditorId, now}) == 1;
}

std::optional<std::int64_t> creditorOfApiKey(Tx& tx, const std::string& keyHash) {
    auto r = tx.queryOne("SELECT creditor_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL ORDER BY id LIMIT 1",
                         {keyHash});
    if (!r) return std::nullopt;
    return r->integer(0);
}

}  // namespace duegate::store::staff
