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
// Only the id (asked at every RCPT TO and for every mail's recipients: one column, not ~30).
std::optional<std::int64_t> idByIntakeAddress(Tx& tx, const std::string& address);
std::optional<CreditorRecord> byApiKeyHash(Tx& tx, const std::string& hash);
std::vector<CreditorRecord> all(Tx& tx);
// Writes every column of `c` but the intake address and the API key (by c.id).
void update(Tx& tx, const CreditorRecord& c);
// True when `address` is an authorised sender of the creditor: its own e-mail, one of its portal
// users', or listed in creditor_senders as the address or as its '@domain'. Mail from anyone else
// to the intake is quarantined unanswered (DESIGN.md: intake trusts senders, not documents).
bool isKnownSender(Tx& tx, std::int64_t creditorId, const std::string& address);
// 'a@b.c' or '@b.c', stored lower-cased; false when it was listed already.
bool addSender(Tx& tx, std::int64_t creditorId, const std::string& pattern, const std::string& now);
std::vector<std::string> senders(Tx& tx, std::int64_t creditorId);
// Registered IBANs (electronic form); false when it was registered already (its BIC is updated).
bool addIban(Tx& tx, std::int64_t creditorId, const std::string& iban, const std::optional<std::string>& bic,
             const std::string& now);
std::vector<CreditorIbanRecord> ibans(Tx& tx, std::int64_t creditorId);
// The creditor that registered this IBAN (the lowest id if several did), or nothing.
std::optional<std::int64_t> creditorOfIban(Tx& tx, const std::string& iban);

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
