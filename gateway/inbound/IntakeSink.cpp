#include "gateway/inbound/IntakeSink.h"

#include "gateway/services/IntakeService.h"

#include "platform/Log.h"
#include "platform/Metrics.h"

namespace duegate::inbound {

IntakeSink::IntakeSink(services::Context& ctx, std::function<void()> onStored)
    : _ctx(ctx), _onStored(std::move(onStored)) {}

MailSink::RecipientVerdict IntakeSink::checkRecipient(const std::string& address) {
    try {
        return services::creditorForIntake(_ctx, address) ? RecipientVerdict::Accept
                                                          : RecipientVerdict::UnknownRecipient;
    } catch (const std::exception& e) {
        platform::logError("smtp", "recipient check failed", {{"error", e.what()}});
        return RecipientVerdict::TemporaryFailure;
    }
}

MailSink::Outcome IntakeSink::deliver(const Envelope& envelope, std::string_view rawMessage) {
    Outcome out;
    try {
        const auto r = services::receiveMail(_ctx, envelope.mailFrom, envelope.recipients, rawMessage,
                                             envelope.remoteAddress);
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
