#include "store/MailboxRepository.h"

namespace duegate::store::mailboxes {
namespace {

const char* kColumns = "id, creditor_id, url, password_file, password_env, after_import, enabled";

MailboxRecord from(const Row& r) {
    MailboxRecord m;
    m.id = r.integer(0);
    m.creditorId = r.integer(1);
    m.url = r.text(2);
    m.passwordFile = r.optText(3);
    m.passwordEnv = r.optText(4);
    m.afterImport = r.text(5);
    m.enabled = r.integer(6) != 0;
    return m;
}

}  // namespace

std::int64_t insert(Tx& tx, const MailboxRecord& m, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO mailboxes (creditor_id, url, password_file, password_env, after_import, enabled, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {m.creditorId, m.url, optionalText(m.passwordFile), optionalText(m.passwordEnv), m.afterImport,
         std::int64_t{m.enabled ? 1 : 0}, now});
    if (!r) throw StoreError("mailbox insert returned no id");
    return r->integer(0);
}

std::vector<MailboxRecord> enabled(Tx& tx) {
    std::vector<MailboxRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kColumns + " FROM mailboxes WHERE enabled = 1 ORDER BY id"))
        out.push_back(from(r));
    return out;
}

std::vector<MailboxRecord> all(Tx& tx, std::optional<std::int64_t> creditorId) {
    std::vector<MailboxRecord> out;
    const auto rows = creditorId ? tx.query(std::string("SELECT ") + kColumns +
                                                " FROM mailboxes WHERE creditor_id = $1 ORDER BY id",
                                            {*creditorId})
                                 : tx.query(std::string("SELECT ") + kColumns + " FROM mailboxes ORDER BY id");
    for (const auto& r : rows) out.push_back(from(r));
    return out;
}

bool setEnabled(Tx& tx, std::int64_t id, bool on) {
    return tx.queryOne("UPDATE mailboxes SET enabled = $1 WHERE id = $2 RETURNING id", {std::int64_t{on ? 1 : 0}, id})
        .has_value();
}

std::set<std::string> fetched(Tx& tx, std::int64_t creditorId, std::int64_t mailboxId, const std::string& uidValidity) {
    std::set<std::string> out;
    for (const auto& r : tx.query("SELECT uid FROM mailbox_messages WHERE creditor_id = $1 AND mailbox_id = $2 "
                                  "AND uid_validity = $3",
                                  {creditorId, mailboxId, uidValidity}))
        out.insert(r.text(0));
    return out;
}

void remember(Tx& tx, std::int64_t creditorId, std::int64_t mailboxId, const std::string& uidValidity,
              const std::string& uid, std::optional<std::int64_t> itemId, const std::string& now) {
    tx.query("INSERT INTO mailbox_messages (creditor_id, mailbox_id, uid_validity, uid, item_id, fetched_at) "
             "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
             {creditorId, mailboxId, uidValidity, uid, optionalInt(itemId), now});
}

}  // namespace duegate::store::mailboxes
