// Replies and bounces that come home to r+TOKEN@[reply] domain (ReplyAddress.h): the SMTP
// listener's second kind of recipient, beside the creditors' intake addresses.
//
// replyTarget() answers the RCPT check: the outbound message id when the address carries a valid
// token of an existing message; nothing otherwise (550). receiveReply() stores the raw mail
// (blob, fsynced) and an inbound item of the message's creditor (state applied at once: the intake
// worker never reads it as an invoice mail), and in the same transaction:
// - a delivery report (RFC 3464 DSN or a recognised text bounce) whose recipient failed: the message
//   sent -> bounced, a `message_bounced` event, and the fallback (ChannelFollowUp.h queueFallback);
//   a report that only says "delayed" is recorded as an event and changes nothing;
// - an automatic reply (Auto-Submitted other than "no", X-Autoreply/X-Autorespond, Precedence
//   auto_reply/bulk/junk/list, an out-of-office subject in EN/NL/FR/DE): `reply_received` with
//   data.auto = true, no task, no pause;
// - anything else is a person's reply: `reply_received` (summary: from and subject; data: item,
//   blob, text excerpt and the attachments, each also kept as a document), a `reply` task and a
//   pause of settings.replyPauseDays.
// Idempotent: the same bytes (or Message-ID) to the same creditor a second time are acknowledged
// and change nothing. Throws store::StoreError when the bytes cannot be stored (451 to the client).
#pragma once

#include "gateway/services/Context.h"
#include "parsers/mime/MimeMessage.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::services {

std::optional<std::int64_t> replyTarget(Context& ctx, const std::string& address);

enum class ReplyKind { Reply, AutoReply, Bounce, Delay };
// Pure: how a mail to a reply address is read. mailFrom is the envelope sender ("" = null sender).
ReplyKind classifyReply(const parsers::mime::MimeMessage& msg, std::string_view raw, const std::string& mailFrom);

struct ReplyOutcome {
    std::int64_t itemId = 0;
    ReplyKind kind = ReplyKind::Reply;
    bool duplicate = false;
    std::string fallback;  // for a bounce: "sms", "letter", "task" or ""
};

ReplyOutcome receiveReply(Context& ctx, std::int64_t messageId, const std::string& mailFrom, const std::string& rcpt,
                          std::string_view raw, const std::string& remoteAddress);

}  // namespace duegate::services
