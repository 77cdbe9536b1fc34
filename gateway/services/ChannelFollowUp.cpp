#include "gateway/services/ChannelFollowUp.h"

#include "channels/SmsSegments.h"

#include "gateway/core/PhoneNumber.h"
#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/TaskService.h"
#include "store/ContactRepository.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>

namespace duegate::services {

bool isDebtorMessage(const std::string& purpose) {
    // Mails to creditor users (NotificationService.h) and webhooks are no debtor's business either.
    return purpose != "ack" && purpose != "quarantine_reply" && purpose != "creditor_notification" &&
           purpose != "creditor_digest" && purpose != "webhook";
}

std::string civilDate(const Context& ctx, int days) {
    return Poco::DateTimeFormatter::format(ctx.clock->now() + Poco::Timespan(days, 0, 0, 0, 0), "%Y-%m-%d");
}

void openChannelTask(const Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
                     const std::string& kind, const std::string& title, const std::string& details,
                     const std::string& dedupeKey, int priority) {
    TaskInput in;
    in.creditorId = creditorId;
    in.dossierId = dossierId;
    in.kind = kind;
    in.title = title;
    if (!details.empty()) in.details = details;
    in.priority = priority;
    in.dedupeKey = dedupeKey;
    // createTask reads the context only; the channels hold it const (shared by the workers).
    createTask(const_cast<Context&>(ctx), tx, in);
}

std::int64_t pauseDossier(const Context& ctx, store::Tx& tx, std::int64_t dossierId, const std::string& reason,
                          const std::optional<std::string>& until) {
    auto d = store::dossiers::dossier(tx, std::nullopt, dossierId);
    if (!d) throw NotFound("dossier " + std::to_string(dossierId));
    store::contact::Pause p;
    p.creditorId = d->creditorId;
    p.dossierId = dossierId;
    p.reason = reason;
    p.untilDate = until;
    return store::contact::insertPause(tx, p, ctx.now());
}

bool isPaused(const Context&, store::Tx& tx, std::int64_t dossierId, const std::string& today) {
    return !store::contact::activePauses(tx, dossierId, today).empty();
}

std::string queueFallback(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& failed,
                          const std::string& why) {
    if (!failed.dossierId || !isDebtorMessage(failed.purpose)) return "";
    auto dossier = store::dossiers::dossier(tx, std::nullopt, *failed.dossierId);
    if (!dossier) return "";
    auto debtor = store::dossiers::debtor(tx, std::nullopt, dossier->debtorId);
    if (!debtor) return "";
    std::optional<std::string> phone;
    if (debtor->phone) phone = core::normalizePhone(*debtor->phone, debtor->country.value_or("BE"));
    const bool canSms = ctx.settings.smsEnabled && phone && !store::contact::smsOff(tx, debtor->id);
    const bool canLetter = debtor->street && !debtor->street->empty() && debtor->postcode && debtor->city;

    std::string next;
    if (failed.channel == "email" && canSms) next = "sms";
    else if ((failed.channel == "email" || failed.channel == "sms") && canLetter) next = "letter";

    if (next.empty()) {
        openChannelTask(ctx, tx, failed.creditorId, failed.dossierId, "bounce",
                        "No channel left for " + failed.purpose + " (" + failed.channel + " " + failed.recipient + ")",
                        why, "bounce:" + std::to_string(failed.id), 1);
        return "task";
    }
    QueuedMessage q;
    q.creditorId = failed.creditorId;
    q.dossierId = failed.dossierId;
    q.dedupeKey = "fallback:" + std::to_string(failed.id);
    q.channel = next;
    q.purpose = failed.purpose;
    q.recipient = next == "sms" ? *phone : debtor->name;
    q.subject = failed.subject.value_or("");
    q.body = failed.body;
    if (next == "sms") {
        // Short enough for two segments whatever the mail said: who, what, and the debtor's own link.
        // The link is never the part that gets cut: the text before it is shortened to fit.
        const auto link = createLink(ctx, tx, failed.creditorId, dossier->id);
        const std::string tail = " (" + dossier->reference + "). " + link.url;
        std::string head = ctx.settings.agencyName + ": " + failed.subject.value_or(dossier->reference);
        while (!head.empty() && channels::countSmsSegments(head + tail).segments > 2) {
            head.pop_back();
            while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.pop_back();
            while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0xC0) head.pop_back();
        }
        q.body = head + tail;
    }
    auto id = queueMessage(ctx, tx, q);
    if (!id) return "";
    store::outbox::setFallbackOf(tx, *id, failed.id);
    return next;
}

}  // namespace duegate::services
