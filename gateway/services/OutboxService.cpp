#include "gateway/services/OutboxService.h"

#include "platform/Metrics.h"

#include "channels/MailChannel.h"
#include "channels/SmsChannel.h"
#include "channels/SmsSegments.h"
#include "channels/letter/PrintProvider.h"
#include "gateway/core/PhoneNumber.h"
#include "gateway/services/ChannelFollowUp.h"
#include "gateway/services/LetterService.h"
#include "gateway/services/ReplyAddress.h"
#include "gateway/services/Secrets.h"
#include "store/ContactRepository.h"
#include "parsers/common/JsonWriter.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "store/Time.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timespan.h>

#include <sstream>

#include <algorithm>
#include <chrono>
#include <random>

namespace duegate::services {
namespace {

std::string domainOf(const std::string& address) {
    const auto at = address.rfind('@');
    std::string d = at == std::string::npos ? "duegate.localhost" : address.substr(at + 1);
    d.erase(std::remove(d.begin(), d.end(), '>'), d.end());
    return d;
}

std::string instantAfter(const Context& ctx, unsigned seconds) {
    return store::formatInstant(ctx.clock->now() + Poco::Timespan(static_cast<long>(seconds), 0));
}

void appendEvent(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& m, const std::string& kind,
                 const std::string& summary, std::optional<std::string> data = std::nullopt) {
    if (!m.dossierId) return;
    store::events::append(tx,
                          store::EventRecord{0, m.creditorId, m.dossierId, ctx.now(), kind, m.channel, summary, data});
}

}  // namespace

unsigned backoffSeconds(unsigned attempt, const DispatchPolicy& p, double jitter01) {
    double s = p.initialBackoffS;
    for (unsigned i = 1; i < attempt && s < p.maxBackoffS; ++i) s *= 2;
    s = std::min<double>(s, p.maxBackoffS);
    const double factor = 0.75 + 0.25 * std::clamp(jitter01, 0.0, 1.0);  // time, not money: a double is fine
    return std::max(1u, static_cast<unsigned>(s * factor));
}

std::optional<std::int64_t> queueMessage(const Context& ctx, store::Tx& tx, const QueuedMessage& q) {
    return queueMessage(ctx, tx, q, std::string());
}

namespace {

store::OutboundMessageRecord recordOf(const Context& ctx, const QueuedMessage& q, const std::string& notBefore) {
    store::OutboundMessageRecord m;
    m.creditorId = q.creditorId;
    m.dossierId = q.dossierId;
    m.dedupeKey = q.dedupeKey;
    m.channel = q.channel;
    m.purpose = q.purpose;
    m.recipient = q.recipient;
    m.subject = q.subject;
    m.body = q.body;
    if (!q.amounts.empty()) {
        Poco::JSON::Array rows;
        for (const auto& a : q.amounts) {
            Poco::JSON::Object row;
            row.set("label", a.label);
            row.set("minor", a.amount.minor());
            row.set("currency", a.amount.currency());
            row.set("basis", a.basis);
            rows.add(row);
        }
        std::ostringstream s;
        rows.stringify(s);
        m.amounts = s.str();
    }
    if (q.channel == "email") m.messageId = "<" + randomHex(16) + "@" + domainOf(ctx.settings.mailFrom) + ">";
    m.nextAttemptAt = notBefore.empty() || notBefore < ctx.now() ? ctx.now() : notBefore;
    return m;
}

// The message_queued event of a queued row (dossier messages only).
std::optional<store::EventRecord> queuedEvent(const Context& ctx, const store::OutboundMessageRecord& m,
                                              const QueuedMessage& q, std::int64_t id) {
    if (!m.dossierId) return std::nullopt;
    parsers::JsonWriter data(0);
    data.beginObject().field("outbound_message_id", id).field("purpose", q.purpose);
    if (m.nextAttemptAt != ctx.now()) data.field("not_before", m.nextAttemptAt);
    data.endObject();
    return store::EventRecord{0, m.creditorId, m.dossierId, ctx.now(), "message_queued", m.channel,
                              q.purpose + " to " + q.recipient + (q.subject.empty() ? "" : ": " + q.subject),
                              data.str()};
}

}  // namespace

std::optional<std::int64_t> queueMessage(const Context& ctx, store::Tx& tx, const QueuedMessage& q,
                                         const std::string& notBefore) {
    const auto m = recordOf(ctx, q, notBefore);
    const auto id = store::outbox::enqueue(tx, m, ctx.now());
    if (id) {
        if (auto e = queuedEvent(ctx, m, q, *id)) store::events::append(tx, *e);
    }
    return id;
}

std::vector<QueuedResult> queueMessages(const Context& ctx, store::Tx& tx, const std::vector<QueuedMessage>& qs) {
    std::vector<store::OutboundMessageRecord> records;
    records.reserve(qs.size());
    for (const auto& q : qs) records.push_back(recordOf(ctx, q, std::string()));
    const auto ids = store::outbox::enqueueMany(tx, records, ctx.now());
    std::vector<QueuedResult> out(qs.size());
    for (std::size_t i = 0; i < qs.size(); ++i) {
        out[i].id = ids[i];
        if (ids[i]) out[i].event = queuedEvent(ctx, records[i], qs[i], *ids[i]);
    }
    return out;
}

namespace {

channels::DeliveryResult sendEmail(const Context& ctx, channels::MailChannel& mail,
                                   const store::OutboundMessageRecord& m) {
    channels::OutboundMail out;
    out.from = ctx.settings.agencyName + " <" + ctx.settings.mailFrom + ">";
    out.to = m.recipient;
    out.subject = m.subject.value_or("");
    out.textBody = m.body;
    out.messageId = m.messageId.value_or("");
    out.extraHeaders.emplace_back("Auto-Submitted", isDebtorMessage(m.purpose) ? "auto-generated" : "auto-replied");
    if (!ctx.settings.replyDomain.empty() && isDebtorMessage(m.purpose)) {
        // Replies and bounces come home to this message (ReplyService.h).
        const auto reply = replyAddress(ctx.settings.linkSecret, ctx.settings.replyDomain, m.id);
        out.extraHeaders.emplace_back("Reply-To", reply);
        out.returnPath = reply;
    }
    return mail.send(out);
}

// Whether the debtor of this SMS row switched SMS off (STOP, Twilio 21610).
bool smsSwitchedOff(const Context& ctx, const store::OutboundMessageRecord& m) {
    if (!m.dossierId) return false;
    return ctx.db->transaction([&](store::Tx& tx) {
        auto d = store::dossiers::dossier(tx, std::nullopt, *m.dossierId);
        return d && store::contact::smsOff(tx, d->debtorId);
    });
}

channels::DeliveryResult sendSms(const Context& ctx, channels::SmsChannel& sms, const store::OutboundMessageRecord& m) {
    if (smsSwitchedOff(ctx, m)) return channels::Failed{"sms switched off by the debtor"};
    const auto to = core::normalizePhone(m.recipient);
    if (!to) return channels::Failed{"not a phone number: " + m.recipient};
    return sms.send(channels::OutboundSms{*to, channels::fitSmsSegments(m.body, 2)});
}

}  // namespace

DispatchStats dispatchDue(const Context& ctx, channels::MailChannel& mail, const DispatchPolicy& policy) {
    ChannelSet set;
    set.mail = &mail;
    return dispatchDue(ctx, set, policy);
}

DispatchStats dispatchDue(const Context& ctx, const ChannelSet& set, const DispatchPolicy& policy) {
    DispatchStats stats;
    const auto claimed = ctx.db->transaction([&](store::Tx& tx) {
        return store::outbox::claimDue(tx, ctx.now(), instantAfter(ctx, policy.leaseSeconds), policy.batch);
    });
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    for (const auto& m : claimed) {
        channels::DeliveryResult result = channels::Failed{"channel '" + m.channel + "' is not configured"};
        const auto started = std::chrono::steady_clock::now();
        try {
            if (m.channel == "email" && set.mail) result = sendEmail(ctx, *set.mail, m);
            else if (m.channel == "sms" && set.sms) result = sendSms(ctx, *set.sms, m);
            else if (m.channel == "letter" && set.print) result = printLetter(ctx, *set.print, m);
        } catch (const std::exception& e) {
            result = channels::Retry{std::string("channel error: ") + e.what(), 60};
        }
        platform::metrics::observe(
            "duegate_send_seconds",
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
            {{"channel", m.channel},
             {"result", std::holds_alternative<channels::Delivered>(result) ? "delivered"
                        : std::holds_alternative<channels::Retry>(result) ? "retry"
                                                                          : "failed"}},
            "time one send took, by channel and result");
        // An SMS whose request reached Twilio but whose answer was lost may have been sent: it is
        // never resent blindly (DESIGN rule 4), and no fallback doubles it; a person reviews it.
        bool maybeSent = false;
        if (auto r = std::get_if<channels::Retry>(&result);
            r && m.channel == "sms" && r->reason.find("state unknown") != std::string::npos) {
            result = channels::Failed{r->reason + "; delivery unknown, not resent"};
            maybeSent = true;
        }
        ctx.db->transaction([&](store::Tx& tx) {
            if (auto d = std::get_if<channels::Delivered>(&result)) {
                store::outbox::markSent(tx, m.id, d->providerId, ctx.now());
                appendEvent(ctx, tx, m, "message_sent", m.purpose + " sent to " + m.recipient);
                ++stats.sent;
            } else if (auto r = std::get_if<channels::Retry>(&result);
                       r && static_cast<unsigned>(m.attempts) < policy.maxAttempts) {
                const unsigned wait = std::max<unsigned>(static_cast<unsigned>(std::max(r->afterSeconds, 0)),
                                                         backoffSeconds(static_cast<unsigned>(m.attempts), policy,
                                                                        jitter(rng)));
                store::outbox::markRetry(tx, m.id, r->reason, instantAfter(ctx, wait), ctx.now());
                ++stats.retried;
            } else {
                const std::string reason = r ? "gave up after " + std::to_string(m.attempts) + " attempts: " + r->reason
                                             : std::get<channels::Failed>(result).reason;
                store::outbox::markFailed(tx, m.id, reason, ctx.now());
                if (m.channel == "sms" && m.dossierId && reason.find("twilio 21610") != std::string::npos)
                    if (auto d = store::dossiers::dossier(tx, std::nullopt, *m.dossierId))
                        store::contact::setSmsOff(tx, d->debtorId, "twilio 21610", ctx.now());
                const auto fallback = maybeSent ? std::string() : queueFallback(ctx, tx, m, reason);
                appendEvent(ctx, tx, m, "message_failed",
                            m.purpose + " to " + m.recipient + " failed: " + reason +
                                (fallback.empty() ? "" : "; fallback: " + fallback));
                ++stats.failed;
            }
        });
    }
    return stats;
}

std::size_t recoverInterrupted(const Context& ctx) {
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto expired = store::outbox::expireInterrupted(tx, ctx.now());
        for (const auto& m : expired)
            appendEvent(ctx, tx, m, "message_failed",
                        m.purpose + " to " + m.recipient + ": interrupted while sending, delivery unknown, not resent");
        return expired.size();
    });
}

}  // namespace duegate::services
