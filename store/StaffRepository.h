// The case managers' and admins' writes and reads (issue 14 item 2/3, migration 0014): assigning a
// dossier, moving its status along the transition table (`WHERE status = from`), closing its open
// tasks, the users list with roles and the disabled flag, and the creditors' own API keys.
// `scope` = the creditor id, or std::nullopt for agency staff (all creditors).
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::store::staff {

using Scope = std::optional<std::int64_t>;

// Sets the dossier's case manager and gives them every open task of the dossier; false when the
// dossier does not exist in scope.
bool assignDossier(Tx& tx, Scope scope, std::int64_t dossierId, std::optional<std::int64_t> userId);

// A dossier's status moves through store::dossiers::transition (DossierRepository.h), the one writer.

// Cancels every open task of the dossier; returns how many.
std::size_t cancelOpenTasks(Tx& tx, std::int64_t dossierId, const std::string& now);

struct UserRow {
    UserRecord user;
    bool admin = false;
    std::optional<std::string> disabledAt;
    bool totpEnabled = false;  // a second factor is set up
};
// Users in scope (std::nullopt: everyone), by e-mail.
std::vector<UserRow> users(Tx& tx, Scope scope);
std::optional<UserRow> user(Tx& tx, Scope scope, std::int64_t userId);
// Staff users who are not disabled (the case managers a dossier can be assigned to).
std::vector<UserRecord> activeStaff(Tx& tx);
void setAdmin(Tx& tx, std::int64_t userId, bool admin);
// Disables (now) or enables (std::nullopt) a user in scope, deleting their sessions when disabled.
bool setDisabled(Tx& tx, Scope scope, std::int64_t userId, const std::optional<std::string>& now);
bool isDisabled(Tx& tx, std::int64_t userId);

struct ApiKeyRow {
    std::int64_t id = 0, creditorId = 0;
    std::string name, createdAt;
    std::optional<std::int64_t> createdBy;
    std::optional<std::string> revokedAt;
};
std::int64_t insertApiKey(Tx& tx, std::int64_t creditorId, const std::string& name, const std::string& keyHash,
                          std::optional<std::int64_t> createdBy, const std::string& now);
std::vector<ApiKeyRow> apiKeys(Tx& tx, std::int64_t creditorId);
// Revokes the creditor's live key; false when there is none with that id (or another creditor's).
bool revokeApiKey(Tx& tx, std::int64_t creditorId, std::int64_t keyId, const std::string& now);
// The creditor of a live (not revoked) key with this sha256.
std::optional<std::int64_t> creditorOfApiKey(Tx& tx, const std::string& keyHash);

}  // namespace duegate::store::staff
