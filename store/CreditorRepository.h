// Creditors, their portal users and portal sessions. Addresses and e-mails are stored lower-cased.
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::creditors {

// Throws UniqueViolation when the intake address is taken.
std::int64_t insert(Tx& tx, const CreditorRecord& c, const std::string& apiKeyHash, const std::string& now);
std::optional<CreditorRecord> byId(Tx& tx, std::int64_t id);
std::optional<CreditorRecord> byIntakeAddress(Tx& tx, const std::string& address);
std::optional<CreditorRecord> byApiKeyHash(Tx& tx, const std::string& hash);
std::vector<CreditorRecord> all(Tx& tx);
// True when `address` is the creditor's own e-mail or one of its portal users' (no replies to strangers).
bool isKnownSender(Tx& tx, std::int64_t creditorId, const std::string& address);

}  // namespace duegate::store::creditors

namespace duegate::store::users {

// Throws UniqueViolation when the e-mail is taken.
std::int64_t insert(Tx& tx, const UserRecord& u, const std::string& now);
std::optional<UserRecord> byEmail(Tx& tx, const std::string& email);
std::optional<UserRecord> byId(Tx& tx, std::int64_t id);

void insertSession(Tx& tx, const std::string& tokenHash, std::int64_t userId, const std::string& csrf,
                   const std::string& now, const std::string& expiresAt);
struct SessionRecord {
    std::int64_t userId;
    std::string csrfToken;
};
// Only a session that has not expired at `now`.
std::optional<SessionRecord> session(Tx& tx, const std::string& tokenHash, const std::string& now);
void deleteSession(Tx& tx, const std::string& tokenHash);

}  // namespace duegate::store::users
