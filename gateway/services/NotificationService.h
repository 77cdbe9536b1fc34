// Notifications to a creditor's portal users (issue 14 item 2), honouring each user's settings.
//
// Topics and the events that raise them:
//   payment  payment_matched      a payment was applied to a dossier
//   dispute  dispute_opened       the debtor disputes
//   reply    reply_received       the debtor answered a reminder
//   question creditor_question    a case manager asks the creditor something (the event kind the
//                                 staff's "write to the creditor" records)
//   payout   payout_made          a payout was made
// Per user and topic: immediate (one mail through the outbox), digest (one mail a day listing
// everything since the last digest) or never. No setting = immediate.
//
// notifyPass() is the job's pass over new events (cursor 'notifications', read a few ids behind,
// UNIQUE keys make a second look a no-op); sendDigests() queues one digest mail per user with
// items. The payment mail that used to go to the creditor's contact address goes only when the
// creditor has no portal user (payments/PaymentEffects.cpp): with users, these settings decide.
// The mails are rendered from config/templates/<lang>/creditor_notification and creditor_digest in
// the language the user chose on the notifications page (English until they choose); the event's
// own summary inside them is the timeline's text as recorded.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace duegate::services {

const std::vector<std::string>& notificationTopics();  // payment, dispute, reply, question, payout
const std::vector<std::string>& notificationModes();   // immediate, digest, never

// topic -> mode for the signed-in creditor user; NotFound for staff.
std::map<std::string, std::string> notificationSettings(Context& ctx, const Principal& who);
// Throws InputError ("<topic>: ...") for an unknown topic or mode; records an event naming the user.
void saveNotificationSettings(Context& ctx, const Principal& who, const std::map<std::string, std::string>& modes);

// The language the signed-in creditor user chose for these mails ("" = none: English), and saving
// it (InputError unless nl, fr or en; an event naming the user when it changes).
std::string notificationLanguage(Context& ctx, const Principal& who);
void saveNotificationLanguage(Context& ctx, const Principal& who, const std::string& language);

struct NotifyStats {
    std::size_t immediate = 0, digested = 0;
};
NotifyStats notifyPass(Context& ctx, std::size_t batch = 500);
// Queues today's digest mails (`day` = YYYY-MM-DD, part of the dedupe key); returns how many.
std::size_t sendDigests(Context& ctx, const std::string& day);

}  // namespace duegate::services
