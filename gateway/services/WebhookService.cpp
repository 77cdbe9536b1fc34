#include "gateway/services/WebhookService.h"

#include "channels/WebhookChannel.h"
#include "gateway/core/Money.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/Secrets.h"
#include "parsers/common/JsonWriter.h"
#include "store/DossierRepository.h"

#include <algorithm>
#include <map>

namespace duegate::services {
namespace {

namespace cp = store::creditor_portal;

struct Kind {
    const char* eventKind;
    const char* topic;
    const char* type;
};
constexpr Kind kKinds[] = {{"dossier_paid", "paid", "dossier.paid"},
                           {"dispute_opened", "dispute", "dispute.opened"},
                           {"promise_recorded", "promise", "promise.recorded"},
                           {"reply_received", "reply", "reply.received"}};

// Events committed out of id order (PostgreSQL: concurrent transactions) are caught by reading
// this many ids behind the cursor again; the UNIQUE delivery key makes the second look a no-op.
constexpr std::int64_t kLookback = 50;
constexpr std::size_t kMaxUrl = 500;

std::int64_t creditorOf(const Principal& who) {
    if (!who.creditorId) throw NotFound("webhook endpoints belong to a creditor");
    return *who.creditorId;
}

bool hasTopic(const std::string& list, const std::string& topic) {
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        if (list.compare(start, end - start, topic) == 0) return true;
        start = end + 1;
    }
    return false;
}

std::string bodyFor(store::Tx& tx, std::int64_t deliveryId, const Kind& kind, const store::EventRecord& e) {
    parsers::JsonWriter j(0);
    j.beginObject()
        .field("id", std::to_string(deliveryId))
        .field("type", kind.type)
        .field("created_at", e.at)
        .field("creditor_id", e.creditorId)
        .field("event_id", e.id)
        .field("summary", e.summary);
    j.key("dossier");
    if (auto d = e.dossierId ? store::dossiers::dossier(tx, e.creditorId, *e.dossierId) : std::nullopt) {
        j.beginObject()
            .field("id", d->id)
            .field("reference", d->reference)
            .field("status", d->status)
            .field("open_amount", core::Money(d->openMinor, d->currency).toDecimal())
            .field("paid_amount", core::Money(d->paidMinor, d->currency).toDecimal())
            .field("currency", d->currency);
        j.key("invoices").beginArray();
        for (const auto& i : store::dossiers::invoices(tx, d->id)) j.value(i.number);
        j.endArray().endObject();
    } else {
        j.null();
    }
    j.endObject();
    return j.str();
}

}  // namespace

const std::vector<std::string>& webhookTopics() {
    static const std::vector<std::string> topics{"paid", "dispute", "promise", "reply"};
    return topics;
}

NewEndpoint addWebhookEndpoint(Context& ctx, const Principal& who, const std::string& url,
                               const std::vector<std::string>& topics) {
    const auto creditorId = creditorOf(who);
    if (url.size() > kMaxUrl || (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) ||
        url.find_first_of(" \t\r\n\"<>") != std::string::npos || url.size() < 10)
        throw InputError("url: expected an http:// or https:// URL");
    std::string events;
    for (const auto& t : webhookTopics())
        if (std::find(topics.begin(), topics.end(), t) != topics.end()) events += (events.empty() ? "" : ",") + t;
    for (const auto& t : topics)
        if (std::find(webhookTopics().begin(), webhookTopics().end(), t) == webhookTopics().end())
            throw InputError("events: unknown event " + t.substr(0, 40));
    if (events.empty()) throw InputError("events: choose at least one event");
    NewEndpoint out;
    out.secret = "whsec_" + randomHex(24);
    out.id = ctx.db->transaction([&](store::Tx& tx) {
        const auto id = cp::insertEndpoint(tx, cp::WebhookEndpoint{0, creditorId, url, out.secret, events, ctx.now(), true},
                                           who.userId);
        store::events::append(tx, store::EventRecord{0, creditorId, std::nullopt, ctx.now(), "webhook_endpoint_added",
                                                     std::nullopt,
                                                     "Webhook endpoint " + std::to_string(id) + " (" + url + ", " +
                                                         events + ") added by " + who.displayName,
                                                     std::nullopt});
        return id;
    });
    return out;
}

void removeWebhookEndpoint(Context& ctx, const Principal& who, std::int64_t endpointId) {
    const auto creditorId = creditorOf(who);
    ctx.db->transaction([&](store::Tx& tx) {
        if (!cp::deactivateEndpoint(tx, creditorId, endpointId)) throw NotFound("no such endpoint");
        store::events::append(tx, store::EventRecord{0, creditorId, std::nullopt, ctx.now(), "webhook_endpoint_removed",
                                                     std::nullopt,
                                                     "Webhook endpoint " + std::to_string(endpointId) + " removed by " +
                                                         who.displayName,
                                                     std::nullopt});
    });
}

std::vector<cp::WebhookEndpoint> webhookEndpoints(Context& ctx, const Principal& who) {
    const auto creditorId = creditorOf(who);
    return ctx.db->read([&](store::Tx& tx) { return cp::endpoints(tx, creditorId, true); });
}

std::vector<cp::DeliveryRow> webhookDeliveries(Context& ctx, const Principal& who, std::size_t limit) {
    const auto creditorId = creditorOf(who);
    return ctx.db->read([&](store::Tx& tx) { return cp::deliveries(tx, creditorId, limit); });
}

std::size_t queueWebhooks(Context& ctx, std::size_t batch) {
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto cursor = cp::cursor(tx, "webhooks").value_or(0);
        const auto floor = std::max<std::int64_t>(cp::cursor(tx, "webhooks:start").value_or(0), cursor - kLookback);
        std::vector<std::string> kinds;
        for (const auto& k : kKinds) kinds.push_back(k.eventKind);
        // The newest event id, read before the scan (so the scan sees every event up to it, on
        // PostgreSQL too): when the scan returns less than a batch, nothing up to it is left to do
        // and the cursor moves there, even past events of other kinds. Otherwise a store whose
        // recent events are all of other kinds (an import: 300,000 of them) is scanned from the
        // same old cursor on every pass, each second, for nothing.
        const auto newest = cp::maxEventId(tx);
        const auto events = cp::eventsAfter(tx, std::max<std::int64_t>(0, floor), kinds, batch);
        std::map<std::int64_t, std::vector<cp::WebhookEndpoint>> endpointsOf;
        std::size_t queued = 0;
        std::int64_t last = cursor;
        for (const auto& e : events) {
            last = std::max(last, e.id);
            const Kind* kind = nullptr;
            for (const auto& k : kKinds)
                if (e.kind == k.eventKind) kind = &k;
            if (!kind) continue;
            auto it = endpointsOf.find(e.creditorId);
            if (it == endpointsOf.end()) it = endpointsOf.emplace(e.creditorId, cp::endpoints(tx, e.creditorId, true)).first;
            for (const auto& ep : it->second) {
                if (!hasTopic(ep.events, kind->topic) || e.at < ep.createdAt) continue;
                const auto delivery = cp::insertDelivery(tx, e.creditorId, ep.id, e.id, kind->type, ctx.now());
                if (!delivery) continue;
                const auto message = queueMessage(
                    ctx, tx,
                    QueuedMessage{e.creditorId, std::nullopt, "webhook:" + std::to_string(*delivery), "webhook", "webhook",
                                  ep.url, kind->type, bodyFor(tx, *delivery, *kind, e)});
                if (message) cp::setDeliveryMessage(tx, *delivery, *message);
                ++queued;
            }
        }
        if (events.size() < batch) last = std::max(last, newest);
        if (last != cursor) cp::setCursor(tx, "webhooks", last, ctx.now());
        return queued;
    });
}

channels::DeliveryResult sendWebhook(const Context& ctx, channels::WebhookChannel& channel,
                                     const store::OutboundMessageRecord& m) {
    const auto target = ctx.db->transaction([&](store::Tx& tx) { return cp::targetOfMessage(tx, m.id); });
    if (!target) return channels::Failed{"webhook: no delivery for this message"};
    if (!target->active) return channels::Failed{"webhook: the endpoint was removed"};
    long status = 0;
    const auto result = channel.send(
        channels::OutboundWebhook{target->url, target->secret, m.body, target->eventType,
                                  std::to_string(target->deliveryId),
                                  static_cast<std::int64_t>(ctx.clock->now().epochTime())},
        status);
    ctx.db->transaction([&](store::Tx& tx) {
        cp::setDeliveryStatus(tx, target->deliveryId, status ? std::optional<std::int64_t>(status) : std::nullopt,
                              ctx.now());
    });
    return result;
}

}  // namespace duegate::services
