// What the channels do when an answer comes home: open a task for a person, pause a dossier's
// reminders, and fall back to the next channel when a message bounced or failed.
//
// openChannelTask(): a task of `kind` (reply, bounce, ...) in the caller's transaction, through
//   the foundation's createTask (dedupe key: one task per cause).
// pauseDossier(): records a pause (dossier_pauses; the dossier's status stays) until `until`
//   (YYYY-MM-DD, inclusive) or until a person ends it (nullopt). The daily run skips paused dossiers.
// isPaused(): an open pause covers `today`.
// queueFallback(): the next channel for a reminder that bounced or failed: email -> SMS when SMS is
//   configured, the debtor has a valid phone and has not switched SMS off; otherwise a letter when
//   the debtor has a postal address; otherwise a `bounce` task. SMS -> letter -> task. Letter -> task.
//   A letter carries the same subject, body and amounts; an SMS says "<agency>: <subject>
//   (<dossier reference>). <the debtor's personal link>" (cut to two segments at dispatch). Dedupe
//   key "fallback:<original id>", so a second bounce report queues nothing.
//   Returns "sms", "letter", "task" or "" (nothing: not a reminder, or already queued).
// Thread-safety: inside the caller's transaction.
#pragma once

#include "gateway/services/Context.h"
#include "store/Records.h"
#include "store/Sql.h"

#include <optional>
#include <string>

namespace duegate::services {

void openChannelTask(const Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
                     const std::string& kind, const std::string& title, const std::string& details,
                     const std::string& dedupeKey, int priority = 2);

std::int64_t pauseDossier(const Context& ctx, store::Tx& tx, std::int64_t dossierId, const std::string& reason,
                          const std::optional<std::string>& until);
bool isPaused(const Context& ctx, store::Tx& tx, std::int64_t dossierId, const std::string& today);

std::string queueFallback(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& failed,
                          const std::string& why);

// Reminders and notices get fallbacks and reply addresses; acknowledgements and intake replies do not.
bool isDebtorMessage(const std::string& purpose);

// Today's civil date (UTC) of the context's clock, "YYYY-MM-DD", plus `days`.
std::string civilDate(const Context& ctx, int days = 0);

}  // namespace duegate::services
