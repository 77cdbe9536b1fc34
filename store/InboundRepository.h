// inbound_items: every mail, file and message that came in, with its raw bytes' content address
// and its state (received -> parsed -> applied | quarantined; see gateway/services/States.h).
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::inbound {

struct Inserted {
    std::int64_t id;
    bool duplicate;  // the natural key (raw sha256 or Message-ID) was already there
};

// Records a received item, idempotently by (creditor, kind, sha256) and (creditor, Message-ID).
Inserted insertReceived(Tx& tx, const InboundItemRecord& item, const std::string& now);

// The same for many items in order (the SMTP intake's group commit): the result's i-th entry is
// items[i]'s, as insertReceived would have returned it one after the other (the second of two
// equal items in `items` is a duplicate of the first). On PostgreSQL one statement for all
// (array parameters) plus one look-up per duplicate; on SQLite insertReceived for each.
std::vector<Inserted> insertReceivedMany(Tx& tx, const std::vector<InboundItemRecord>& items, const std::string& now);

// How many items of `kind` (and their bytes) a creditor received at or after `since` (a stored
// time string); for the daily intake quota.
struct Volume {
    std::int64_t items = 0, bytes = 0;
};
Volume receivedSince(Tx& tx, std::int64_t creditorId, const std::string& kind, const std::string& since);

std::optional<InboundItemRecord> byId(Tx& tx, std::optional<std::int64_t> scope, std::int64_t id);
// Items in state 'received', oldest first.
std::vector<InboundItemRecord> pending(Tx& tx, std::size_t limit);
// Claims up to `limit` received items whose lease is free (NULL or before `now`) for one worker:
// their attempt count goes up by one and they are leased until `leaseUntil`, committed with the
// caller's transaction BEFORE the attempt (a crash mid-item still counts). Oldest first.
// Several processes on PostgreSQL claim disjoint items (FOR UPDATE SKIP LOCKED).
std::vector<InboundItemRecord> claim(Tx& tx, const std::string& now, const std::string& leaseUntil,
                                     std::size_t limit);
// (state, count) of every item state present, for /metrics.
std::vector<std::pair<std::string, std::int64_t>> countByState(Tx& tx);
// A retry later: the item keeps its state and is free again at `leaseUntil`.
void extendLease(Tx& tx, std::int64_t id, const std::string& leaseUntil);
std::vector<InboundItemRecord> inState(Tx& tx, std::optional<std::int64_t> scope, const std::string& state,
                                       std::size_t limit);
// Moves an item to `state` only when it is still in `from` (so two workers never both apply it);
// returns false when another worker moved it first.
bool transition(Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
                const std::optional<std::string>& error, const std::string& now);

}  // namespace duegate::store::inbound
