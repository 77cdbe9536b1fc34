// Outbound webhooks to a creditor's own systems (issue 14 item 2; docs/webhooks.md).
//
// A creditor user configures endpoints in the portal (URL, events chosen among paid, dispute,
// promise, reply); the secret is made here and shown once. queueWebhooks() is the job's pass: it
// reads new events of the kinds dossier_paid, dispute_opened, promise_recorded and reply_received
// and, for each active endpoint of that event's creditor that chose it (and existed when it
// happened), writes one webhook_deliveries row and one outbox row of channel 'webhook' in one
// transaction; UNIQUE (endpoint, event) makes each event one delivery however often it is scanned.
// The outbox dispatcher sends it with sendWebhook() (signed; retried with the outbox's backoff).
#pragma once

#include "channels/Delivery.h"
#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "store/CreditorPortalRepository.h"

#include <cstdint>
#include <string>
#include <vector>

namespace duegate::channels {
class WebhookChannel;
}

namespace duegate::services {

// The portal's names of the events an endpoint may choose, and the type each sends.
const std::vector<std::string>& webhookTopics();  // paid, dispute, promise, reply

struct NewEndpoint {
    std::int64_t id = 0;
    std::string secret;  // shown once
};
// Throws InputError (message starts with the field: "url: ...", "events: ...") for bad input,
// NotFound for staff (endpoints belong to one creditor).
NewEndpoint addWebhookEndpoint(Context& ctx, const Principal& who, const std::string& url,
                               const std::vector<std::string>& topics);
// Throws NotFound when the creditor has no such endpoint.
void removeWebhookEndpoint(Context& ctx, const Principal& who, std::int64_t endpointId);
std::vector<store::creditor_portal::WebhookEndpoint> webhookEndpoints(Context& ctx, const Principal& who);
std::vector<store::creditor_portal::DeliveryRow> webhookDeliveries(Context& ctx, const Principal& who,
                                                                   std::size_t limit = 200);

// The job's pass; returns how many deliveries were queued.
std::size_t queueWebhooks(Context& ctx, std::size_t batch = 500);

// The dispatcher's send of one outbox row of channel 'webhook'.
channels::DeliveryResult sendWebhook(const Context& ctx, channels::WebhookChannel& channel,
                                     const store::OutboundMessageRecord& m);

}  // namespace duegate::services
