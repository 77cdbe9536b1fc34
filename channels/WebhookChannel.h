// Outbound webhooks to a creditor's own systems (issue 14 item 2), the outbox channel 'webhook'.
//
// One POST of a JSON body to the endpoint's URL (http or https; no redirects followed), signed so
// the receiver can prove it came from us and is fresh (docs/webhooks.md):
//
//   Duegate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
//   Duegate-Event: dossier.paid | dispute.opened | promise.recorded | reply.received
//   Duegate-Delivery: <delivery id>   (the same on every retry: the receiver's idempotency key)
//
// A creditor chooses the URL, so a request to a loopback, private, link-local or otherwise
// non-public address is refused (Failed) unless allowPrivateAddresses: checked on the address
// libcurl actually connects to (CURLOPT_OPENSOCKETFUNCTION), so DNS cannot point it elsewhere.
// 2xx: Delivered{"HTTP <status>"}; 408, 425, 429, 5xx, timeouts and connection errors: Retry (the
// outbox's backoff decides when); other statuses: Failed. The status code is reported through
// `statusOut` (0 when no HTTP answer came).
// Thread-safety: send() may run from several threads; the object holds only options.
#pragma once

#include "channels/Delivery.h"

#include <cstdint>
#include <string>

namespace duegate::channels {

struct WebhookOptions {
    long connectTimeoutSeconds = 5;
    long timeoutSeconds = 10;
    std::string caLocation;   // empty: the system's CA bundle
    bool allowPrivateAddresses = false;  // [webhooks] allow_private_addresses (tests, in-house systems)
};

// True for addresses a creditor's webhook may not reach: 0/8, 10/8, 100.64/10, 127/8, 169.254/16,
// 172.16/12, 192.168/16, 224/4 and above; ::, ::1, fc00::/7, fe80::/10, ff00::/8, and IPv4-mapped
// forms of the IPv4 ones. `sockaddr` is a struct sockaddr_in or sockaddr_in6.
bool isPrivateAddress(const void* sockaddr);

struct OutboundWebhook {
    std::string url, secret, body, eventType, deliveryId;
    std::int64_t timestamp = 0;  // unix seconds, signed with the body
};

// "t=<timestamp>,v1=<hex hmac>" for the Duegate-Signature header.
std::string webhookSignature(const std::string& secret, std::int64_t timestamp, const std::string& body);

class WebhookChannel {
public:
    explicit WebhookChannel(WebhookOptions options) : _o(std::move(options)) {}
    virtual ~WebhookChannel() = default;
    virtual DeliveryResult send(const OutboundWebhook& hook, long& statusOut);

private:
    WebhookOptions _o;
};

}  // namespace duegate::channels
