#include "gateway/inbound/IntakeSink.h"

#include "gateway/services/IntakeService.h"
#include "gateway/services/ReplyService.h"

#include "platform/Log.h"
#include "platform/Metrics.h"

namespace duegate::inbound {

IntakeSink::IntakeSink(services::Context& ctx, std::function<void()> onStored, IntakeQuota quota)
    : _ctx(ctx), _onStored(std::move(onStored)), _quota(quota) {}

MailSink::RecipientVerdict IntakeSink::checkRecipient(const std::string& address) {
    try {
        if (services::replyTarget(_ctx, address)) return RecipientVerdict::Accept;  // r+TOKEN@[reply] domain
        const auto creditor = creditorFor(address);
        if (!creditor) return RecipientVerdict::UnknownRecipient;
        if (_quota.messages || _quota.bytes) {
            const auto v = services::mailVolumeToday(_ctx, *creditor);
            if ((_quota.messages && static_cast<std::uint64_t>(v.messages) >= _quota.messages) ||
                (_quota.bytes && static_cast<std::uint64_t>(v.bytes) >= _quota.bytes))
                return RecipientVerdict::QuotaExceeded;
        }
        return RecipientVerdict::Accept;
    } catch (const std::exception& e) {
        platform::logError("smtp", "recipient check failed", {{"error", e.what()}});
        return RecipientVerdict::TemporaryFailure;
    }
}

std::optional<std::int64_t> IntakeSink::creditorFor(const std::string& address) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(_knownMutex);
        if (auto it = _known.find(address); it != _known.end() && now < it->second.second) return it->second.first;
    }
    const auto creditor = services::creditorForIntake(_ctx, address);
    if (creditor) {
        std::lock_guard lock(_knownMutex);
        if (_known.size() >= kMaxKnown) _known.clear();
        _known[address] = {*creditor, now + kKnownFor};
    }
    return creditor;
}

MailSink::Outcome IntakeSink::deliver(const Envelope& envelope, std::string_view rawMessage) {
    Outcome out;
    try {
        // Replies and bounces to r+TOKEN addresses come home to their message; the rest is intake.
        std::vector<std::string> intake;
        std::string replyQueueId;
        for (const auto& rcpt : envelope.recipients) {
            if (auto id = services::replyTarget(_ctx, rcpt)) {
                const auto r = services::receiveReply(_ctx, *id, envelope.mailFrom, rcpt, rawMessage,
                                                      envelope.remoteAddress);
                if (replyQueueId.empty())
                    replyQueueId = "item-" + std::to_string(r.itemId) + (r.duplicate ? "-duplicate" : "");
            } else {
                intake.push_back(rcpt);
            }
        }
        if (intake.empty() && !replyQueueId.empty()) {
            out.stored = true;
            out.queueId = replyQueueId;
            return out;
        }
        const auto r = services::receiveMail(_ctx, envelope.mailFrom, intake, rawMessage, envelope.remoteAddress);
        if (r.itemIds.empty() && !replyQueueId.empty()) {
            out.stored = true;
            out.queueId = replyQueueId;
            return out;
        }
        if (r.itemIds.empty()) {
            out.temporary = false;
            out.error = "no recipient is an intake address";
            return out;
        }
        out.stored = true;
        platform::metrics::add("duegate_smtp_mails_total", {{"result", r.duplicate ? "duplicate" : "accepted"}}, 1,
                               "mails that got a 250, and duplicates of stored ones");
        out.queueId = "item-" + std::to_string(r.itemIds.front()) + (r.duplicate ? "-duplicate" : "");
        if (_onStored) _onStored();
    } catch (const std::exception& e) {
        platform::logError("smtp", "could not store a mail", {{"from", envelope.mailFrom}, {"error", e.what()}});
        platform::metrics::add("duegate_smtp_mails_total", {{"result", "temporary_failure"}});
        out.stored = false;
        out.temporary = true;
        out.error = "could not store the message, try again later";
    }
    return out;
}

}  // namespace duegate::inbound
