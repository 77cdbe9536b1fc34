#include "store/InboundRepository.h"

#include "gateway/services/States.h"
#include "store/PgCopy.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace duegate::store::inbound {
namespace {

const char* kColumns =
    "id, creditor_id, kind, sha256, size, message_id, mail_from, rcpt_to, remote_address, error, state, received_at, "
    "attempts";

InboundItemRecord from(const Row& r) {
    InboundItemRecord i;
    i.id = r.integer(0);
    i.creditorId = r.integer(1);
    i.kind = r.text(2);
    i.sha256 = r.text(3);
    i.size = r.integer(4);
    i.messageId = r.optText(5);
    i.mailFrom = r.optText(6);
    i.rcptTo = r.optText(7);
    i.remoteAddress = r.optText(8);
    i.error = r.optText(9);
    i.state = r.text(10);
    i.receivedAt = r.text(11);
    i.attempts = r.integer(12);
    return i;
}

}  // namespace

namespace {

std::int64_t existingId(Tx& tx, const InboundItemRecord& i) {
    auto existing = tx.queryOne(
        "SELECT id FROM inbound_items WHERE creditor_id = $1 AND ((kind = $2 AND sha256 = $3) OR message_id = $4) "
        "ORDER BY id LIMIT 1",
        {i.creditorId, i.kind, i.sha256, optionalText(i.messageId)});
    if (!existing) throw StoreError("inbound item conflicted but cannot be found");
    return existing->integer(0);
}

}  // namespace

Inserted insertReceived(Tx& tx, const InboundItemRecord& i, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO inbound_items (creditor_id, kind, sha256, size, message_id, mail_from, rcpt_to, remote_address, "
        "state, received_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'received', $9, $9) "
        "ON CONFLICT DO NOTHING RETURNING id",
        {i.creditorId, i.kind, i.sha256, i.size, optionalText(i.messageId), optionalText(i.mailFrom),
         optionalText(i.rcptTo), optionalText(i.remoteAddress), now});
    if (r) return {r->integer(0), false};
    return {existingId(tx, i), true};
}

std::vector<Inserted> insertReceivedMany(Tx& tx, const std::vector<InboundItemRecord>& items, const std::string& now) {
    std::vector<Inserted> out;
    out.reserve(items.size());
    if (tx.dialect() == Dialect::SQLite || items.size() == 1) {
        for (const auto& i : items) out.push_back(insertReceived(tx, i, now));
        return out;
    }
    if (items.empty()) return out;
    // One INSERT for all, rows in the arrays' order; a row that conflicts (with a stored item or an
    // earlier one of these) is skipped and comes back in no RETURNING row.
    pgcopy::Array creditor(pgcopy::kInt8), kind(pgcopy::kText), sha(pgcopy::kText), size(pgcopy::kInt8),
        messageId(pgcopy::kText), mailFrom(pgcopy::kText), rcptTo(pgcopy::kText), remote(pgcopy::kText);
    for (const auto& i : items) {
        creditor.add(i.creditorId);
        kind.add(std::string_view(i.kind));
        sha.add(std::string_view(i.sha256));
        size.add(i.size);
        messageId.addOptional(i.messageId);
        mailFrom.addOptional(i.mailFrom);
        rcptTo.addOptional(i.rcptTo);
        remote.addOptional(i.remoteAddress);
    }
    const auto rows = pgcopy::query(
        tx,
        "INSERT INTO inbound_items (creditor_id, kind, sha256, size, message_id, mail_from, rcpt_to, remote_address, "
        "state, received_at, updated_at) SELECT c, k, s, z, m, f, r, a, 'received', $9, $9 FROM "
        "unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) "
        "AS u(c, k, s, z, m, f, r, a) ON CONFLICT DO NOTHING RETURNING id, creditor_id, kind, sha256, message_id",
        {creditor.param(), kind.param(), sha.param(), size.param(), messageId.param(), mailFrom.param(), rcptTo.param(),
         remote.param(), pgcopy::text(now)});
    // Which input each inserted row was: (creditor, kind, sha256) is unique among inserted rows,
    // and the Message-ID tells an input that conflicted on its Message-ID alone from the one with
    // the same bytes that was inserted. Equal inputs: the first in order is the inserted one.
    using Key = std::tuple<std::int64_t, std::string, std::string, std::optional<std::string>>;
    std::map<Key, std::int64_t> inserted;
    for (const auto& r : rows) inserted.emplace(Key{r.integer(1), r.text(2), r.text(3), r.optText(4)}, r.integer(0));
    for (const auto& i : items) {
        const auto it = inserted.find(Key{i.creditorId, i.kind, i.sha256, i.messageId});
        if (it != inserted.end()) {
            out.push_back({it->second, false});
            inserted.erase(it);
        } else {
            out.push_back({existingId(tx, i), true});
        }
    }
    return out;
}

Volume receivedSince(Tx& tx, std::int64_t creditorId, const std::string& kind, const std::string& since) {
    auto r = tx.queryOne(
        "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM inbound_items WHERE creditor_id = $1 AND kind = $2 "
        "AND received_at >= $3",
        {creditorId, kind, since});
    if (!r) return {};
    return {r->integer(0), r->integer(1)};
}

std::optional<InboundItemRecord> byId(Tx& tx, std::optional<std::int64_t> scope, std::int64_t id) {
    std::vector<Value> params{id};
    std::string where;
    if (scope) {
        params.push_back(*scope);
        where = " AND creditor_id = $2";
    }
    auto r = tx.queryOne(std::string("SELECT ") + kColumns + " FROM inbound_items WHERE id = $1" + where, params);
    if (!r) return std::nullopt;
    return from(*r);
}

std::vector<InboundItemRecord> pending(Tx& tx, std::size_t limit) {
    return inState(tx, std::nullopt, "received", limit);
}

std::vector<InboundItemRecord> inState(Tx& tx, std::optional<std::int64_t> scope, const std::string& state,
                                       std::size_t limit) {
    std::vector<Value> params{state, static_cast<std::int64_t>(limit)};
    std::string where;
    if (scope) {
        params.push_back(*scope);
        where = " AND creditor_id = $3";
    }
    std::vector<InboundItemRecord> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kColumns + " FROM inbound_items WHERE state = $1" + where +
                                      " ORDER BY id LIMIT $2",
                                  params))
        out.push_back(from(r));
    return out;
}

bool transition(Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                const std::optional<std::string>& error, const std::string& now) {
    services::requireTransition(services::Machine::InboundItem, from, to);
    // Leaving a state ends the worker's lease; going back to 'received' (reprocess) starts the
    // attempt count afresh.
    return tx.exec(std::string("UPDATE inbound_items SET state = $3, error = $4, updated_at = $5, lease_until = NULL") +
                       (to == "received" ? ", attempts = 0" : "") + " WHERE id = $1 AND state = $2",
                   {id, from, to, optionalText(error), now}) == 1;
}

std::vector<InboundItemRecord> claim(Tx& tx, const std::string& now, const std::string& leaseUntil,
                                     std::size_t limit) {
    // PostgreSQL: SKIP LOCKED lets several processes claim disjoint items at once. SQLite has one
    // writer at a time (BEGIN IMMEDIATE), which gives the same exclusivity.
    const std::string lock = tx.dialect() == Dialect::PostgreSQL ? " FOR UPDATE SKIP LOCKED" : "";
    std::vector<InboundItemRecord> out;
    for (const auto& r : tx.query(std::string("UPDATE inbound_items SET attempts = attempts + 1, lease_until = $2 "
                                              "WHERE id IN (SELECT id FROM inbound_items WHERE state = 'received' "
                                              "AND (lease_until IS NULL OR lease_until < $1) ORDER BY id LIMIT $3") +
                                      lock + ") RETURNING " + kColumns,
                                  {now, leaseUntil, static_cast<std::int64_t>(limit)}))
        out.push_back(from(r));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
}

std::vector<std::pair<std::string, std::int64_t>> countByState(Tx& tx) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& r : tx.query("SELECT state, COUNT(*) FROM inbound_items GROUP BY state ORDER BY state"))
        out.emplace_back(r.text(0), r.integer(1));
    return out;
}

void extendLease(Tx& tx, std::int64_t id, const std::string& leaseUntil) {
    tx.exec("UPDATE inbound_items SET lease_until = $2 WHERE id = $1 AND state = 'received'", {id, leaseUntil});
}

}  // namespace duegate::store::inbound
