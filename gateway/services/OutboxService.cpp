#include "gateway/services/OutboxService.h"

#include "gateway/services/WebhookService.h"

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
#include "gateway/services/States.h"
#include "platform/Log.h"
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

namespace {

// One send whose outcome is not yet committed: the claim it was made under, and what the channel said.
struct Outcome {
    store::OutboundMessageRecord m;
    std::string token;
    channels::DeliveryResult result;
};

void fenceLost(const Outcome& o, const char* what) {
    // The claim is gone (its lease ran out and the row was parked, then perhaps released and
    // claimed again): whatever happened since wins; this late outcome changes nothing.
    platform::logWarning("outbox", "claim lost: outcome not recorded",
                         {{"message", std::to_string(o.m.id)}, {"outcome", what},
                          {"result", channels::describe(o.result)}});
    platform::metrics::add("duegate_outbox_fence_lost_total", {}, 1,
                           "outcomes of a send not recorded because the claim had been lost (lease ran out)");
}

void openReviewTask(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& m, const std::string& why) {
    openChannelTask(ctx, tx, m.creditorId, m.dossierId, "outbox_review",
                    "Was " + m.purpose + " #" + std::to_string(m.id) + " (" + m.channel + ") to " + m.recipient +
                        " sent? Outcome unknown: release or mark sent (duegate outbox)",
                    why, "outbox_unknown:" + std::to_string(m.id) + ":" + std::to_string(m.attempts), 1);
    platform::metrics::add("duegate_outbox_parked_total", {{"channel", m.channel}}, 1,
                           "messages parked for review because their send's outcome was unknown");
}

// Records one outcome in `tx`, every change fenced by the claim; counts into `stats`.
void record(const Context& ctx, store::Tx& tx, const Outcome& o, const DispatchPolicy& policy, double jitter01,
            DispatchStats& stats) {
    const auto& m = o.m;
    const auto now = ctx.now();
    if (auto d = std::get_if<channels::Delivered>(&o.result)) {
        if (!store::outbox::markSent(tx, m.id, o.token, d->providerId, now)) return fenceLost(o, "sent");
        appendEvent(ctx, tx, m, "message_sent", m.purpose + " sent to " + m.recipient);
        ++stats.sent;
        return;
    }
    if (auto u = std::get_if<channels::Unknown>(&o.result)) {
        // Maybe sent: never resent blindly (DESIGN rule 4) and no fallback doubles it.
        const std::string reason = u->reason + "; delivery unknown, not resent: parked for review";
        if (!store::outbox::park(tx, m.id, o.token, reason, now)) return fenceLost(o, "unknown");
        appendEvent(ctx, tx, m, "message_parked", m.purpose + " to " + m.recipient + ": " + reason);
        openReviewTask(ctx, tx, m, reason);
        ++stats.parked;
        return;
    }
    auto r = std::get_if<channels::Retry>(&o.result);
    if (r && static_cast<unsigned>(m.attempts) < policy.maxAttempts) {
        const unsigned wait = std::max<unsigned>(static_cast<unsigned>(std::max(r->afterSeconds, 0)),
                                                 backoffSeconds(static_cast<unsigned>(m.attempts), policy, jitter01));
        if (!store::outbox::markRetry(tx, m.id, o.token, r->reason, instantAfter(ctx, wait), now))
            return fenceLost(o, "retry");
        ++stats.retried;
        return;
    }
    const std::string reason = r ? "gave up after " + std::to_string(m.attempts) + " attempts: " + r->reason
                                 : std::get<channels::Failed>(o.result).reason;
    if (!store::outbox::markFailed(tx, m.id, o.token, reason, now)) return fenceLost(o, "failed");
    if (m.channel == "sms" && m.dossierId && reason.find("twilio 21610") != std::string::npos)
        if (auto d = store::dossiers::dossier(tx, std::nullopt, *m.dossierId))
            store::contact::setSmsOff(tx, d->debtorId, "twilio 21610", now);
    const auto fallback = queueFallback(ctx, tx, m, reason);
    appendEvent(ctx, tx, m, "message_failed",
                m.purpose + " to " + m.recipient + " failed: " + reason +
                    (fallback.empty() ? "" : "; fallback: " + fallback));
    ++stats.failed;
}

channels::DeliveryResult sendOne(const Context& ctx, const ChannelSet& set, const store::OutboundMessageRecord& m) {
    channels::DeliveryResult result = channels::Failed{"channel '" + m.channel + "' is not configured"};
    const auto started = std::chrono::steady_clock::now();
    try {
        if (m.channel == "email" && set.mail) result = sendEmail(ctx, *set.mail, m);
        else if (m.channel == "sms" && set.sms) result = sendSms(ctx, *set.sms, m);
        else if (m.channel == "letter" && set.print) result = printLetter(ctx, *set.print, m);
        else if (m.channel == "webhook" && set.webhook) result = sendWebhook(ctx, *set.webhook, m);
    } catch (const std::exception& e) {
        // Channels never throw for delivery problems (Delivery.h): this is before anything left.
        result = channels::Retry{std::string("channel error: ") + e.what(), 60};
    }
    platform::metrics::observe(
        "duegate_send_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
        {{"channel", m.channel},
         {"result", std::holds_alternative<channels::Delivered>(result) ? "delivered"
                    : std::holds_alternative<channels::Retry>(result)   ? "retry"
                    : std::holds_alternative<channels::Unknown>(result) ? "unknown"
                                                                        : "failed"}},
        "time one send took, by channel and result");
    return result;
}

}  // namespace

DispatchStats dispatchDue(const Context& ctx, const ChannelSet& set, const DispatchPolicy& policy) {
    // One message is claimed right before it is sent, never a batch ahead (a batch's lease would
    // run while the earlier ones send). The claim commits before anything leaves, so a crash during
    // the send leaves it 'sending' (parked when its lease runs out), never 'planned' (resent).
    // The outcome of a send is committed together with the next claim (one transaction per message
    // instead of two), and those left at the end of the pass together in one: the marks and their
    // events are grouped, each still fenced by its own claim.
    DispatchStats stats;
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    std::vector<Outcome> pending;
    const auto flush = [&](store::Tx& tx, DispatchStats& counted) {
        for (const auto& o : pending) record(ctx, tx, o, policy, jitter(rng), counted);
    };
    const auto passEnds = std::chrono::steady_clock::now() + std::chrono::seconds(policy.passSeconds);
    try {
        for (std::size_t i = 0; i < policy.batch && (i == 0 || std::chrono::steady_clock::now() < passEnds); ++i) {
            const std::string token = randomHex(16);
            DispatchStats counted;
            auto claimed = ctx.db->transaction([&](store::Tx& tx) {
                counted = DispatchStats{};
                flush(tx, counted);
                return store::outbox::claimNext(tx, ctx.now(), instantAfter(ctx, policy.leaseSeconds), token);
            });
            stats += counted;
            pending.clear();
            if (!claimed) return stats;
            pending.push_back(Outcome{*claimed, token, sendOne(ctx, set, *claimed)});
        }
        if (!pending.empty()) {
            DispatchStats counted;
            ctx.db->transaction([&](store::Tx& tx) {
                counted = DispatchStats{};
                flush(tx, counted);
            });
            stats += counted;
            pending.clear();
        }
    } catch (const std::exception& e) {
        // The store failed between sends. What was sent and not yet recorded stays 'sending' under
        // its lease: parked for review when the lease runs out, never resent.
        platform::logError("outbox", "outcomes not recorded", {{"messages", std::to_string(pending.size())},
                                                                {"error", e.what()}});
        throw;
    }
    return stats;
}

std::size_t recoverInterrupted(const Context& ctx) {
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto expired = store::outbox::expireInterrupted(tx, ctx.now());
        for (const auto& m : expired) {
            const std::string why = "interrupted while sending (the lease ran out): delivery unknown, not resent";
            appendEvent(ctx, tx, m, "message_parked", m.purpose + " to " + m.recipient + ": " + why);
            openReviewTask(ctx, tx, m, why);
        }
        return expired.size();
    });
}

std::vector<ParkedMessage> listParked(const Context& ctx, std::size_t limit) {
    return ctx.db->read([&](store::Tx& tx) {
        std::vector<ParkedMessage> out;
        for (const auto& m : store::outbox::inState(tx, "unknown", limit))
            out.push_back(ParkedMessage{m.id, m.creditorId, m.dossierId, m.channel, m.purpose, m.recipient,
                                        m.subject.value_or(""), m.messageId.value_or(""), m.attempts,
                                        m.parkedAt.value_or(""),
                                        m.lastError.value_or("")});
        return out;
    });
}

namespace {

bool demandsPayment(const std::string& purpose) {
    return purpose == "payment_notice" || purpose == "reminder" || purpose == "instalment_reminder";
}

std::string decideParked(const Context& ctx, std::int64_t id, const std::string& who, const std::string& note, bool resend) {
    if (who.empty()) throw InputError("outbox: say who decides (--by)");
    return ctx.db->transaction([&](store::Tx& tx) {
        auto m = store::outbox::byId(tx, id);
        if (!m) throw NotFound("outbox: no message " + std::to_string(id));
        if (m->state != "unknown")
            throw InputError("outbox: message " + std::to_string(id) + " is '" + m->state + "', not parked ('unknown')");
        if (resend && m->dossierId && demandsPayment(m->purpose)) {
            const auto d = store::dossiers::dossier(tx, m->creditorId, *m->dossierId);
            if (d && (d->status == "paid" || d->status == "closed" || d->status == "legal")) {
                requireTransition(Machine::OutboundMessage, "unknown", "failed");
                const std::string text = "cancelled: dossier " + d->reference + " is " + d->status +
                                         " (released by " + who + (note.empty() ? std::string() : ": " + note) + ")";
                if (!store::outbox::cancelParked(tx, id, text, ctx.now()))
                    throw InputError("outbox: message " + std::to_string(id) + " changed meanwhile; look again");
                store::outbox::closeReviewTasks(tx, m->creditorId, id, ctx.now());
                appendEvent(ctx, tx, *m, "message_cancelled", m->purpose + " to " + m->recipient + ": " + text);
                return std::string("failed");
            }
        }
        const std::string to = resend ? "planned" : "sent";
        requireTransition(Machine::OutboundMessage, "unknown", to);
        const std::string text = (resend ? "released for resending by " : "marked sent by ") + who +
                                 (note.empty() ? std::string() : ": " + note);
        const bool moved = resend ? store::outbox::releaseParked(tx, id, text, ctx.now())
                                  : store::outbox::markParkedSent(tx, id, text, ctx.now());
        if (!moved) throw InputError("outbox: message " + std::to_string(id) + " changed meanwhile; look again");
        store::outbox::closeReviewTasks(tx, m->creditorId, id, ctx.now());
        appendEvent(ctx, tx, *m, resend ? "message_released" : "message_sent",
                    m->purpose + " to " + m->recipient + ": " + text);
        return to;
    });
}

}  // namespace

std::string releaseParked(const Context& ctx, std::int64_t id, const std::string& who, const std::string& note) {
    return decideParked(ctx, id, who, note, true);
}

void markParkedSent(const Context& ctx, std::int64_t id, const std::string& who, const std::string& note) {
    decideParked(ctx, id, who, note, false);
}

}  // namespace duegate::services
