#include "store/OutboxRepository.h"

#include "store/Chunks.h"
#include "store/PgCopy.h"

#include "gateway/services/States.h"

#include <algorithm>
#include <unordered_map>

namespace duegate::store::outbox {
namespace {

const char* kColumns =
    "id, creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, subject, body, message_id, state, attempts, "
    "next_attempt_at, provider_id, last_error, amounts, parked_at";

OutboundMessageRecord from(const Row& r) {
    OutboundMessageRecord m;
    m.id = r.integer(0);
    m.creditorId = r.integer(1);
    m.dossierId = r.optInteger(2);
    m.dedupeKey = r.text(3);
    m.channel = r.text(4);
    m.purpose = r.text(5);
    m.recipient = r.text(6);
    m.subject = r.optText(7);
    m.body = r.text(8);
    m.messageId = r.optText(9);
    m.state = r.text(10);
    m.attempts = r.integer(11);
    m.nextAttemptAt = r.text(12);
    m.providerId = r.optText(13);
    m.lastError = r.optText(14);
    m.amounts = r.optText(15);
    m.parkedAt = r.optText(16);
    return m;
}

std::vector<OutboundMessageRecord> all(std::vector<Row> rows) {
    std::vector<OutboundMessageRecord> out;
    for (const auto& r : rows) out.push_back(from(r));
    return out;
}

}  // namespace

std::optional<std::int64_t> enqueue(Tx& tx, const OutboundMessageRecord& m, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO outbound_messages (creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, subject, "
        "body, message_id, state, attempts, next_attempt_at, created_at, updated_at, amounts) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'planned', 0, $10, $11, $11, $12) "
        "ON CONFLICT (creditor_id, dedupe_key) DO NOTHING RETURNING id",
        {m.creditorId, optionalInt(m.dossierId), m.dedupeKey, m.channel, m.purpose, m.recipient,
         optionalText(m.subject), m.body, optionalText(m.messageId), m.nextAttemptAt.empty() ? now : m.nextAttemptAt,
         now, optionalText(m.amounts)});
    if (!r) return std::nullopt;
    return r->integer(0);
}

namespace {

// PostgreSQL: the rows by COPY (store/PgCopy.h) instead of 200-row INSERT ... ON CONFLICT (a
// statement import queues two mails per match: docs/performance.md, "Statement import"). What ON
// CONFLICT DO NOTHING decided is decided first: the (creditor, dedupe_key) pairs already stored are
// read in one query, a pair repeated in the input keeps its first row, and the ids come from the
// table's sequence, ascending in input order. A concurrent writer of the same pair between the read
// and the COPY makes the COPY fail on the UNIQUE key and the caller's transaction roll back (the
// batch booking's keys name match ids of its own transaction, which no one else can write).
std::vector<std::optional<std::int64_t>> copyMany(Tx& tx, const std::vector<OutboundMessageRecord>& messages,
                                                  const std::string& now) {
    std::vector<std::optional<std::int64_t>> ids(messages.size());
    auto keyOf = [](std::int64_t creditor, const std::string& dedupe) { return std::to_string(creditor) + ':' + dedupe; };
    std::unordered_map<std::string, std::size_t> first;
    std::vector<std::string> creditors, keys;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        if (!first.emplace(keyOf(m.creditorId, m.dedupeKey), i).second) continue;
        creditors.push_back(std::to_string(m.creditorId));
        keys.push_back(m.dedupeKey);
    }
    for (const auto& r : tx.query("SELECT o.creditor_id, o.dedupe_key FROM unnest($1::bigint[], $2::text[]) AS "
                                  "k(c, d) JOIN outbound_messages o ON o.creditor_id = k.c AND o.dedupe_key = k.d",
                                  {pgcopy::textArray(creditors), pgcopy::textArray(keys)}))
        first.erase(keyOf(r.integer(0), r.text(1)));
    std::vector<std::size_t> fresh;
    fresh.reserve(first.size());
    for (const auto& [key, i] : first) fresh.push_back(i);
    if (fresh.empty()) return ids;
    std::sort(fresh.begin(), fresh.end());
    std::vector<std::int64_t> seq;
    seq.reserve(fresh.size());
    for (const auto& r : tx.query("SELECT nextval('outbound_messages_id_seq') FROM generate_series(1, " +
                                  std::to_string(fresh.size()) + ")"))
        seq.push_back(r.integer(0));
    if (seq.size() != fresh.size()) throw StoreError("outbound_messages: the sequence gave too few ids");
    std::sort(seq.begin(), seq.end());
    pgcopy::Rows rows;
    auto opt = [&rows](const std::optional<std::string>& v) -> pgcopy::Rows& { return v ? rows.text(*v) : rows.null(); };
    for (std::size_t n = 0; n < fresh.size(); ++n) {
        const auto& m = messages[fresh[n]];
        rows.integer(seq[n]).integer(m.creditorId);
        if (m.dossierId) rows.integer(*m.dossierId);
        else rows.null();
        rows.text(m.dedupeKey).text(m.channel).text(m.purpose).text(m.recipient);
        opt(m.subject);
        rows.text(m.body);
        opt(m.messageId);
        rows.text("planned").integer(0).text(m.nextAttemptAt.empty() ? now : m.nextAttemptAt).text(now).text(now);
        opt(m.amounts);
        rows.endRow();
        ids[fresh[n]] = seq[n];
    }
    // Not waited for: the next statement on tx reads its result first.
    pgcopy::copyIn(tx, "COPY outbound_messages (id, creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, "
                       "subject, body, message_id, state, attempts, next_attempt_at, created_at, updated_at, amounts) "
                       "FROM STDIN",
                   rows, pgcopy::Wait::Later);
    return ids;
}

}  // namespace

std::vector<std::optional<std::int64_t>> enqueueMany(Tx& tx, const std::vector<OutboundMessageRecord>& messages,
                                                     const std::string& now) {
    if (tx.dialect() == Dialect::PostgreSQL && !messages.empty()) return copyMany(tx, messages, now);
    std::vector<std::optional<std::int64_t>> ids(messages.size());
    std::vector<Value> p;
    std::string sql;
    for (std::size_t start = 0, end = 0; start < messages.size(); start = end) {
        end = chunkEnd(tx.dialect(), start, messages.size(), 200);
        p.clear();
        sql = "INSERT INTO outbound_messages (creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, "
              "subject, body, message_id, state, attempts, next_attempt_at, created_at, updated_at, amounts) VALUES ";
        // RETURNING order is not promised: rows are matched back by (creditor, dedupe_key).
        std::unordered_map<std::string, std::size_t> where;
        for (std::size_t i = start; i < end; ++i) {
            const auto& m = messages[i];
            const auto n = p.size();
            if (i > start) sql += ",";
            sql += "($" + std::to_string(n + 1);
            for (std::size_t c = 2; c <= 9; ++c) sql += ",$" + std::to_string(n + c);
            sql += ",'planned',0";
            for (std::size_t c = 10; c <= 13; ++c) sql += ",$" + std::to_string(n + c);
            sql += ")";
            p.push_back(m.creditorId);
            p.push_back(optionalInt(m.dossierId));
            p.push_back(m.dedupeKey);
            p.push_back(m.channel);
            p.push_back(m.purpose);
            p.push_back(m.recipient);
            p.push_back(optionalText(m.subject));
            p.push_back(m.body);
            p.push_back(optionalText(m.messageId));
            p.push_back(m.nextAttemptAt.empty() ? now : m.nextAttemptAt);
            p.push_back(now);
            p.push_back(now);
            p.push_back(optionalText(m.amounts));
            where.emplace(std::to_string(m.creditorId) + ":" + m.dedupeKey, i);
        }
        sql += " ON CONFLICT (creditor_id, dedupe_key) DO NOTHING RETURNING id, creditor_id, dedupe_key";
        for (const auto& r : tx.query(sql, p)) {
            auto it = where.find(r.text(1) + ":" + r.text(2));
            if (it != where.end()) ids[it->second] = r.integer(0);
        }
    }
    return ids;
}

std::optional<OutboundMessageRecord> claimNext(Tx& tx, const std::string& now, const std::string& leaseUntil,
                                               const std::string& token) {
    // PostgreSQL: SKIP LOCKED lets several processes claim side by side without waiting on each
    // other's row; `AND state = 'planned'` is re-checked on the locked row. SQLite: the writer's
    // BEGIN IMMEDIATE makes the whole claim one writer at a time, which is the same guarantee.
    const std::string pick = tx.dialect() == Dialect::PostgreSQL
                                 ? "SELECT id FROM outbound_messages WHERE state = 'planned' AND next_attempt_at <= $1 "
                                   "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
                                 : "SELECT id FROM outbound_messages WHERE state = 'planned' AND next_attempt_at <= $1 "
                                   "ORDER BY next_attempt_at, id LIMIT 1";
    auto r = tx.queryOne(std::string("UPDATE outbound_messages SET state = 'sending', lease_until = $2, claim_token = $3, "
                                     "attempts = attempts + 1, updated_at = $1 WHERE id = (") +
                             pick + ") AND state = 'planned' RETURNING " + kColumns,
                         {now, leaseUntil, token});
    if (!r) return std::nullopt;
    return from(*r);
}

namespace {
// Every change after a claim: only while the row is still 'sending' under that same claim.
const char* kFence = " WHERE id = $1 AND state = 'sending' AND claim_token = $2";
}  // namespace

bool markSent(Tx& tx, std::int64_t id, const std::string& token, const std::string& providerId,
              const std::string& now) {
    return tx.exec(std::string("UPDATE outbound_messages SET state = 'sent', provider_id = $3, lease_until = NULL, "
                               "claim_token = NULL, last_error = NULL, updated_at = $4") +
                       kFence,
                   {id, token, providerId, now}) == 1;
}

bool markRetry(Tx& tx, std::int64_t id, const std::string& token, const std::string& error,
               const std::string& nextAttemptAt, const std::string& now) {
    return tx.exec(std::string("UPDATE outbound_messages SET state = 'planned', last_error = $3, next_attempt_at = $4, "
                               "lease_until = NULL, claim_token = NULL, updated_at = $5") +
                       kFence,
                   {id, token, error, nextAttemptAt, now}) == 1;
}

bool markFailed(Tx& tx, std::int64_t id, const std::string& token, const std::string& error, const std::string& now) {
    return tx.exec(std::string("UPDATE outbound_messages SET state = 'failed', last_error = $3, lease_until = NULL, "
                               "claim_token = NULL, updated_at = $4") +
                       kFence,
                   {id, token, error, now}) == 1;
}

bool park(Tx& tx, std::int64_t id, const std::string& token, const std::string& reason, const std::string& now) {
    return tx.exec(std::string("UPDATE outbound_messages SET state = 'unknown', last_error = $3, parked_at = $4, "
                               "lease_until = NULL, claim_token = NULL, updated_at = $4") +
                       kFence,
                   {id, token, reason, now}) == 1;
}

std::vector<OutboundMessageRecord> expireInterrupted(Tx& tx, const std::string& now) {
    return all(tx.query(std::string("UPDATE outbound_messages SET state = 'unknown', lease_until = NULL, "
                                    "claim_token = NULL, parked_at = $1, "
                                    "last_error = 'interrupted while sending (lease ran out): delivery unknown, "
                                    "not resent; review', updated_at = $1 "
                                    "WHERE state = 'sending' AND lease_until < $1 RETURNING ") +
                            kColumns,
                        {now}));
}

bool releaseParked(Tx& tx, std::int64_t id, const std::string& note, const std::string& now) {
    return tx.exec("UPDATE outbound_messages SET state = 'planned', next_attempt_at = $3, parked_at = NULL, "
                   "last_error = $2, updated_at = $3 WHERE id = $1 AND state = 'unknown'",
                   {id, note, now}) == 1;
}

bool cancelParked(Tx& tx, std::int64_t id, const std::string& note, const std::string& now) {
    return tx.exec("UPDATE outbound_messages SET state = 'failed', parked_at = NULL, last_error = $2, updated_at = $3 "
                   "WHERE id = $1 AND state = 'unknown'",
                   {id, note, now}) == 1;
}

bool markParkedSent(Tx& tx, std::int64_t id, const std::string& note, const std::string& now) {
    return tx.exec("UPDATE outbound_messages SET state = 'sent', parked_at = NULL, last_error = $2, updated_at = $3 "
                   "WHERE id = $1 AND state = 'unknown'",
                   {id, note, now}) == 1;
}

std::size_t closeReviewTasks(Tx& tx, std::int64_t creditorId, std::int64_t messageId, const std::string& now) {
    return tx.exec("UPDATE tasks SET state = 'done', closed_at = $3 WHERE creditor_id = $1 AND dedupe_key LIKE $2 "
                   "AND state = 'open'",
                   {creditorId, "outbox_unknown:" + std::to_string(messageId) + ":%", now});
}

std::int64_t countInState(Tx& tx, const std::string& state) {
    auto r = tx.queryOne("SELECT COUNT(*) FROM outbound_messages WHERE state = $1", {state});
    return r ? r->integer(0) : 0;
}

std::vector<OutboundMessageRecord> forDossier(Tx& tx, std::int64_t dossierId) {
    return all(tx.query(std::string("SELECT ") + kColumns + " FROM outbound_messages WHERE dossier_id = $1 ORDER BY id",
                        {dossierId}));
}

std::vector<OutboundMessageRecord> inState(Tx& tx, const std::string& state, std::size_t limit) {
    return all(tx.query(std::string("SELECT ") + kColumns +
                            " FROM outbound_messages WHERE state = $1 ORDER BY id LIMIT $2",
                        {state, static_cast<std::int64_t>(limit)}));
}

std::optional<OutboundMessageRecord> byId(Tx& tx, std::int64_t id) {
    auto r = tx.queryOne(std::string("SELECT ") + kColumns + " FROM outbound_messages WHERE id = $1", {id});
    if (!r) return std::nullopt;
    return from(*r);
}

std::optional<OutboundMessageRecord> byProviderId(Tx& tx, const std::string& providerId) {
    auto r = tx.queryOne(std::string("SELECT ") + kColumns +
                             " FROM outbound_messages WHERE provider_id = $1 ORDER BY id DESC LIMIT 1",
                         {providerId});
    if (!r) return std::nullopt;
    return from(*r);
}

bool move(Tx& tx, std::int64_t id, const std::string& fromState, const std::string& to,
          const std::optional<std::string>& error, const std::string& now) {
    services::requireTransition(services::Machine::OutboundMessage, fromState, to);
    return tx.exec("UPDATE outbound_messages SET state = $3, last_error = COALESCE($4, last_error), updated_at = $5 "
                   "WHERE id = $1 AND state = $2",
                   {id, fromState, to, optionalText(error), now}) == 1;
}

void setDocument(Tx& tx, std::int64_t id, std::int64_t documentId) {
    tx.exec("UPDATE outbound_messages SET document_id = $2 WHERE id = $1", {id, documentId});
}

void setFallbackOf(Tx& tx, std::int64_t id, std::int64_t originalId) {
    tx.exec("UPDATE outbound_messages SET fallback_of = $2, "
            "amounts = (SELECT o.amounts FROM outbound_messages o WHERE o.id = $2) WHERE id = $1",
            {id, originalId});
}

std::vector<StateCount> countByStateAndChannel(Tx& tx) {
    std::vector<StateCount> out;
    for (const auto& r : tx.query("SELECT state, channel, COUNT(*) FROM outbound_messages GROUP BY state, channel "
                                  "ORDER BY state, channel"))
        out.push_back(StateCount{r.text(0), r.text(1), r.integer(2)});
    return out;
}

std::optional<SentWithLink> messageWithLink(Tx& tx, std::int64_t dossierId, std::int64_t linkId) {
    auto r = tx.queryOne("SELECT purpose, channel, created_at FROM outbound_messages WHERE dossier_id = $1 "
                         "AND body LIKE $2 ORDER BY id LIMIT 1",
                         {dossierId, "%/d/" + std::to_string(linkId) + ".%"});
    if (!r) return std::nullopt;
    return SentWithLink{r->text(0), r->text(1), r->text(2)};
}

}  // namespace duegate::store::outbox
