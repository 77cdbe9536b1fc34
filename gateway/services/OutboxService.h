// The transactional outbox, services side.
//
// queueMessage() writes a planned message in the caller's transaction (the one that made the
// decision), with a dedupe key so the same decision never produces two messages, and records a
// `message_queued` event on the dossier whose data names the row ({"outbound_message_id": N,
// "purpose": ...}), so the timeline reaches the full content that was sent. dispatchDue() is the
// dispatcher's one pass: claim ONE due message right before sending it (a lease and a random claim
// token; PostgreSQL FOR UPDATE SKIP LOCKED), send it through its channel, and record sent / retry
// (exponential backoff with jitter, stored as next_attempt_at) / failed (permanent, or attempts
// exhausted: dead-lettered) / unknown with `message_sent` / `message_failed` / `message_parked`
// events. Every record is fenced by the claim (state 'sending' and the same token; a lost fence is
// logged, counted in duegate_outbox_fence_lost_total, and changes nothing).
// A send whose outcome is unknown (channels::Unknown: no reply to SMTP's final dot within
// [jobs] outbox_reply_timeout_s, a Twilio answer lost) and a message left in 'sending' by a crash
// (recoverInterrupted(), once its lease ran out) are never resent by themselves: they are parked
// ('unknown') with an `outbox_review` task, until a person releases them (resend) or marks them
// sent (releaseParked / markParkedSent; `duegate outbox`).
// Thread-safety: dispatchDue may run in several threads/processes; claims keep them apart.
#pragma once

#include "gateway/core/Money.h"
#include "gateway/services/Context.h"
#include "store/Records.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::channels {
class MailChannel;
class SmsChannel;
class PrintProvider;
class WebhookChannel;
}

namespace duegate::services {

struct MessageAmount {
    std::string label;   // "Interest 12 % from 2026-03-01", in the debtor's language
    core::Money amount;
    std::string basis;   // "Art. 5 Law of 2 August 2002"
};

struct QueuedMessage {
    std::int64_t creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string dedupeKey;  // e.g. "ack:item:17"
    std::string channel = "email";
    std::string purpose;    // ack, quarantine_reply, payment_notice, ...
    std::string recipient;
    std::string subject;
    std::string body;
    // Letters: rows of the amounts table beyond the invoices (interest, costs), each with its legal
    // basis, e.g. from core's LegalAmount; the letter's total and QR code include them.
    std::vector<MessageAmount> amounts = {};
};

// Returns the new row's id, or nothing when this dedupe key was queued before.
std::optional<std::int64_t> queueMessage(const Context& ctx, store::Tx& tx, const QueuedMessage& m);
// The same, to be sent not before `notBefore` (store instant format; an instant in the past means
// now): the dunning run plans SMS inside the policy's contact window this way, and the dispatcher
// only claims a row once next_attempt_at has come.
std::optional<std::int64_t> queueMessage(const Context& ctx, store::Tx& tx, const QueuedMessage& m,
                                         const std::string& notBefore);
// Many messages at once (multi-row statements), as queueMessage queues each now: the id of each
// (nothing for a dedupe key queued before) and its message_queued event, which the caller appends
// (store::events::appendMany) in the order it wants among its own events.
struct QueuedResult {
    std::optional<std::int64_t> id;
    std::optional<store::EventRecord> event;
};
std::vector<QueuedResult> queueMessages(const Context& ctx, store::Tx& tx, const std::vector<QueuedMessage>& messages);

struct DispatchPolicy {
    unsigned maxAttempts = 8;
    unsigned initialBackoffS = 30;
    unsigned maxBackoffS = 3600;
    // A claim older than this is taken for a crash and parked: longer than any one send can take
    // (the SMTP channel alone may wait 10 minutes for the reply to the final dot).
    unsigned leaseSeconds = 1800;
    std::size_t batch = 20;  // messages per pass, each claimed on its own
    unsigned passSeconds = 60;  // no new claim after this long into a pass (a slow relay): the
                                // worker beats between passes, so a pass lasts this + one send
};

struct DispatchStats {
    std::size_t sent = 0, retried = 0, failed = 0, parked = 0;
    DispatchStats& operator+=(const DispatchStats& o) {
        sent += o.sent;
        retried += o.retried;
        failed += o.failed;
        parked += o.parked;
        return *this;
    }
};

// The channel registry of the dispatcher, by the outbox row's channel name: email, sms, letter.
// A row whose channel is not configured (nullptr) fails with that reason.
// - email: reminders and notices (not acks) carry Reply-To and envelope MAIL FROM
//   r+TOKEN@[reply] domain when settings.replyDomain is set (ReplyAddress.h);
// - sms: the recipient normalised to E.164, the text cut to two segments (SmsSegments.h); a debtor
//   who switched SMS off gets no SMS: the row fails ("sms switched off") and falls back; Twilio error
//   21610 on send switches SMS off too;
// - letter: LetterService.h printLetter (PDF kept as a document, handed to the print provider).
// A reminder that fails permanently falls back to the next channel (ChannelFollowUp.h).
struct ChannelSet {
    channels::MailChannel* mail = nullptr;
    channels::SmsChannel* sms = nullptr;
    channels::PrintProvider* print = nullptr;
    // webhook: a signed POST to a creditor's endpoint (WebhookService.h sendWebhook).
    channels::WebhookChannel* webhook = nullptr;
};

DispatchStats dispatchDue(const Context& ctx, const ChannelSet& channels, const DispatchPolicy& policy);
DispatchStats dispatchDue(const Context& ctx, channels::MailChannel& mail, const DispatchPolicy& policy);
// Parks the messages whose claim's lease ran out (their process died mid-send); returns how many.
std::size_t recoverInterrupted(const Context& ctx);

// Parked messages ('unknown'), oldest first.
struct ParkedMessage {
    std::int64_t id = 0, creditorId = 0;
    std::optional<std::int64_t> dossierId;
    std::string channel, purpose, recipient, subject;
    std::string messageId;   // email: our Message-ID, to look the mail up in the relay's log
    std::int64_t attempts = 0;
    std::string parkedAt, reason;
};
std::vector<ParkedMessage> listParked(const Context& ctx, std::size_t limit = 500);
// A person's decision on a parked message (`who` names them; `note` is kept with it):
// release = send it again (unknown -> planned, due now); markParkedSent = it did go out
// (unknown -> sent). Either closes its review task and appends an event. InputError when it is not
// parked or `who` is empty; NotFound when there is no such message.
// A demand for payment (payment notice, reminder, instalment reminder) whose dossier was paid,
// closed or handed to a lawyer while it was parked is not sent again: release cancels it
// (unknown -> failed, `message_cancelled`), as the payment cancelled the planned ones. Returns the
// state the message is in afterwards: "planned" or "failed".
std::string releaseParked(const Context& ctx, std::int64_t id, const std::string& who, const std::string& note);
void markParkedSent(const Context& ctx, std::int64_t id, const std::string& who, const std::string& note);

// Seconds to wait before attempt `attempt` (1-based) failed: initial * 2^(attempt-1), capped,
// then jittered to 75..100 % so a burst of failures does not retry in lockstep.
unsigned backoffSeconds(unsigned attempt, const DispatchPolicy& policy, double jitter01);

}  // namespace duegate::services
