#include "gateway/services/OutboxService.h"

#include "channels/MailChannel.h"
#include "gateway/services/Secrets.h"
#include "parsers/common/JsonWriter.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "store/Time.h"

#include <Poco/Timespan.h>

#include <algorithm>
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

std::optional<std::int64_t> queueMessage(const Context& ctx, store::Tx& tx, const QueuedMessage& q,
                                         const std::string& notBefore) {
    store::OutboundMessageRecord m;
    m.creditorId = q.creditorId;
    m.dossierId = q.dossierId;
    m.dedupeKey = q.dedupeKey;
    m.channel = q.channel;
    m.purpose = q.purpose;
    m.recipient = q.recipient;
    m.subject = q.subject;
    m.body = q.body;
    if (q.channel == "email") m.messageId = "<" + randomHex(16) + "@" + domainOf(ctx.settings.mailFrom) + ">";
    m.nextAttemptAt = notBefore.empty() || notBefore < ctx.now() ? ctx.now() : notBefore;
    const auto id = store::outbox::enqueue(tx, m, ctx.now());
    if (id) {
        parsers::JsonWriter data(0);
        data.beginObject().field("outbound_message_id", *id).field("purpose", q.purpose);
        if (m.nextAttemptAt != ctx.now()) data.field("not_before", m.nextAttemptAt);
        data.endObject();
        appendEvent(ctx, tx, m, "message_queued",
                    q.purpose + " to " + q.recipient + (q.subject.empty() ? "" : ": " + q.subject), data.str());
    }
    return id;
}

DispatchStats dispatchDue(const Context& ctx, channels::MailChannel& mail, const DispatchPolicy& policy) {
    DispatchStats stats;
    const auto claimed = ctx.db->transaction([&](store::Tx& tx) {
        return store::outbox::claimDue(tx, ctx.now(), instantAfter(ctx, policy.leaseSeconds), policy.batch);
    });
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    for (const auto& m : claimed) {
        channels::DeliveryResult result = channels::Failed{"channel '" + m.channel + "' is not configured"};
        if (m.channel == "email") {
            channels::OutboundMail out;
            out.from = ctx.settings.agencyName + " <" + ctx.settings.mailFrom + ">";
            out.to = m.recipient;
            out.subject = m.subject.value_or("");
            out.textBody = m.body;
            out.messageId = m.messageId.value_or("");
            out.extraHeaders.emplace_back("Auto-Submitted", m.purpose == "ack" || m.purpose == "quarantine_reply"
                                                                ? "auto-replied"
                                                                : "auto-generated");
            try {
                result = mail.send(out);
            } catch (const std::exception& e) {
                result = channels::Retry{std::string("channel error: ") + e.what(), 60};
            }
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
                appendEvent(ctx, tx, m, "message_failed", m.purpose + " to " + m.recipient + " failed: " + reason);
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
