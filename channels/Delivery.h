// DeliveryResult: what every outbound channel (mail, SMS, letter) answers for one send.
//
//   Delivered{providerId}  the provider took the message (SMTP queue reply, Twilio MessageSid, file path);
//   Retry{reason, after}   a temporary failure (4xx, connection refused, timeout, 429/5xx): try again
//                          no sooner than afterSeconds; the dispatcher adds backoff and jitter;
//   Failed{reason}         a permanent failure (5xx, Twilio 4xx, invalid message): do not resend;
//   Unknown{reason}        the message went out but its answer never came (no reply to SMTP's final
//                          dot, a Twilio request whose response was lost): it may or may not have been
//                          taken, so it is neither resent nor failed: the outbox parks it for a person.
//
// A channel never throws for a delivery problem: infrastructure exceptions are caught in the
// adapter and become Retry or Failed. Reasons are for logs and the case manager, one line each.
// Thread-safety: plain values.
#pragma once

#include <string>
#include <variant>

namespace duegate::channels {

struct Delivered {
    std::string providerId;
};

struct Retry {
    std::string reason;
    int afterSeconds = 300;
};

struct Failed {
    std::string reason;
};

struct Unknown {
    std::string reason;
};

using DeliveryResult = std::variant<Delivered, Retry, Failed, Unknown>;

inline bool isDelivered(const DeliveryResult& r) { return std::holds_alternative<Delivered>(r); }
inline bool isRetry(const DeliveryResult& r) { return std::holds_alternative<Retry>(r); }
inline bool isFailed(const DeliveryResult& r) { return std::holds_alternative<Failed>(r); }
inline bool isUnknown(const DeliveryResult& r) { return std::holds_alternative<Unknown>(r); }

// One line for logs and events: "delivered: <id>", "retry in 300 s: <reason>", "failed: <reason>",
// "unknown: <reason>".
inline std::string describe(const DeliveryResult& r) {
    if (auto d = std::get_if<Delivered>(&r)) return "delivered: " + d->providerId;
    if (auto t = std::get_if<Retry>(&r)) return "retry in " + std::to_string(t->afterSeconds) + " s: " + t->reason;
    if (auto u = std::get_if<Unknown>(&r)) return "unknown: " + u->reason;
    return "failed: " + std::get<Failed>(r).reason;
}

}  // namespace duegate::channels
