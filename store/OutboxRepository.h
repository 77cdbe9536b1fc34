// outbound_messages: the transactional outbox. A message row is written in the same transaction
// as the decision that caused it; the dispatcher claims due rows with a lease (PostgreSQL:
// FOR UPDATE SKIP LOCKED, so several processes share the work), sends, and records the outcome.
// States: planned -> sending -> sent -> delivered | failed | bounced (gateway/services/States.h).
#pragma once

#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::store::outbox {

// Inserts a planned message; std::nullopt when this (creditor, dedupe_key) was already planned.
std::optional<std::int64_t> enqueue(Tx& tx, const OutboundMessageRecord& m, const std::string& now);
// The same for many messages in multi-row statements: the id of each, in input order, or
// std::nullopt for one whose (creditor, dedupe_key) was already planned (or repeats an earlier one).
std::vector<std::optional<std::int64_t>> enqueueMany(Tx& tx, const std::vector<OutboundMessageRecord>& messages,
                                                     const std::string& now);

// Moves up to `limit` planned messages whose next_attempt_at <= now to 'sending' with a lease
// until `leaseUntil`, and returns them.
std::vector<OutboundMessageRecord> claimDue(Tx& tx, const std::string& now, const std::string& leaseUntil,
                                            std::size_t limit);
void markSent(Tx& tx, std::int64_t id, const std::string& providerId, const std::string& now);
void markRetry(Tx& tx, std::int64_t id, const std::string& error, const std::string& nextAttemptAt,
               const std::string& now);
void markFailed(Tx& tx, std::int64_t id, const std::string& error, const std::string& now);
// Messages left in 'sending' whose lease ran out (the process died mid-send): their send state is
// unknown, so they are NOT resent; they become 'failed' with that reason, for a person to review.
std::vector<OutboundMessageRecord> expireInterrupted(Tx& tx, const std::string& now);

std::vector<OutboundMessageRecord> forDossier(Tx& tx, std::int64_t dossierId);
// The dossier's message that carried the debtor link with this id ("/d/<linkId>." in its body),
// so the timeline can say which reminder the debtor opened; the first one when several did.
struct SentWithLink {
    std::string purpose, channel, createdAt;
};
std::optional<SentWithLink> messageWithLink(Tx& tx, std::int64_t dossierId, std::int64_t linkId);
std::optional<OutboundMessageRecord> byId(Tx& tx, std::int64_t id);
// The message a provider knows by this id (Twilio MessageSid); the newest when several.
std::optional<OutboundMessageRecord> byProviderId(Tx& tx, const std::string& providerId);
// Moves a message from `from` to `to` (last_error set when given); false when it was not in `from`.
bool move(Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
          const std::optional<std::string>& error, const std::string& now);
void setDocument(Tx& tx, std::int64_t id, std::int64_t documentId);
// Links a fallback to the message it replaces and copies that message's amounts (letters' table).
void setFallbackOf(Tx& tx, std::int64_t id, std::int64_t originalId);
std::vector<OutboundMessageRecord> inState(Tx& tx, const std::string& state, std::size_t limit);
// (state, channel, count) for /metrics.
struct StateCount {
    std::string state, channel;
    std::int64_t count;
};
std::vector<StateCount> countByStateAndChannel(Tx& tx);

}  // namespace duegate::store::outbox
