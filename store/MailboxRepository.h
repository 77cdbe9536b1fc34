// mailboxes and mailbox_messages (migration 0006): the mailboxes duegate polls for creditors and
// the messages already fetched from each (the natural key that makes polling idempotent).
#pragma once

#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace duegate::store::mailboxes {

struct MailboxRecord {
    std::int64_t id = 0, creditorId = 0;
    std::string url;
    std::optional<std::string> passwordFile, passwordEnv;
    std::string afterImport;   // delete | keep | move:FOLDER
    bool enabled = true;
};

// Throws UniqueViolation when the creditor already has this URL.
std::int64_t insert(Tx& tx, const MailboxRecord& m, const std::string& now);
std::vector<MailboxRecord> enabled(Tx& tx);
std::vector<MailboxRecord> all(Tx& tx, std::optional<std::int64_t> creditorId);
// Returns false when no such mailbox.
bool setEnabled(Tx& tx, std::int64_t id, bool on);

// The UIDs of `uidValidity` already fetched from a mailbox.
std::set<std::string> fetched(Tx& tx, std::int64_t creditorId, std::int64_t mailboxId, const std::string& uidValidity);
// Remembers one fetched message; a second call for the same UID is a no-op.
void remember(Tx& tx, std::int64_t creditorId, std::int64_t mailboxId, const std::string& uidValidity,
              const std::string& uid, std::optional<std::int64_t> itemId, const std::string& now);

}  // namespace duegate::store::mailboxes
