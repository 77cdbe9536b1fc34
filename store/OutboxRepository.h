// outbound_messages: the transactional outbox. A message row is written in the same transaction
// as the decision that caused it; the dispatcher claims one due row right before sending it,
// with a lease and a claim token (PostgreSQL: FOR UPDATE SKIP LOCKED, so several processes share the
// work), sends, and records the outcome fenced by that claim.
// States: planned -> sending -> sent -> delivered | failed | bounced; sending -> unknown (parked)
// -> planned | sent by a person (gateway/services/States.h).
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

// Claims the one planned message that is due first (next_attempt_at <= now, then id): 'sending'
// with a lease until `leaseUntil`, this claim's `token`, attempts + 1; nothing when none is due.
// PostgreSQL: FOR UPDATE SKIP LOCKED, so processes claiming at once each get another message.
std::optional<OutboundMessageRecord> claimNext(Tx& tx, const std::string& now, const std::string& leaseUntil,
                                               const std::string& token);
// The fenced outcomes of a claim: each changes the row only while it is 'sending' under `token`
// (WHERE id AND state = 'sending' AND claim_token); false, and nothing changed, when the claim was
// lost (its lease ran out and the row was parked, released and claimed again, ...).
bool markSent(Tx& tx, std::int64_t id, const std::string& token, const std::string& providerId,
              const std::string& now);
bool markRetry(Tx& tx, std::int64_t id, const std::string& token, const std::string& error,
               const std::string& nextAttemptAt, const std::string& now);
bool markFailed(Tx& tx, std::int64_t id, const std::string& token, const std::string& error, const std::string& now);
// 'sending' -> 'unknown' (parked for review, parked_at = now): the send's outcome is unknown.
bool park(Tx& tx, std::int64_t id, const std::string& token, const std::string& reason, const std::string& now);
// Messages left in 'sending' whose lease ran out (the process died mid-send): their send state is
// unknown, so they are NOT resent; they are parked ('unknown') for a person to review.
std::vector<OutboundMessageRecord> expireInterrupted(Tx& tx, const std::string& now);
// A person's decision on a parked message: send it again (-> 'planned', due now) or record that
// it did go out (-> 'sent'); `note` becomes last_error. False when it is not 'unknown'.
bool releaseParked(Tx& tx, std::int64_t id, const std::string& note, const std::string& now);
// A parked message that must not go any more (unknown -> failed, `note` as its error).
bool cancelParked(Tx& tx, std::int64_t id, const std::string& note, const std::string& now);
bool markParkedSent(Tx& tx, std::int64_t id, const std::string& note, const std::string& now);
// Closes the open review tasks of a parked message (dedupe keys "outbox_unknown:<id>:<attempt>").
std::size_t closeReviewTasks(Tx& tx, std::int64_t creditorId, std::int64_t messageId, const std::string& now);
std::int64_t countInState(Tx& tx, const std::string& state);

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
