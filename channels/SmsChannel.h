// SmsChannel: sends one text message and says what became of it (Delivered | Retry | Failed).
// Implementation: TwilioSmsChannel. Delivery reports come back later as inbound items (Twilio
// status callbacks to the portal's /hooks routes), matched by Delivered.providerId (MessageSid).
// Contract: send() never throws for delivery problems (see Delivery.h).
// Thread-safety: implementations may be called from several dispatcher threads at once.
#pragma once

#include "channels/Delivery.h"

#include <string>

namespace duegate::channels {

struct OutboundSms {
    std::string to;     // E.164, "+32470123456"
    std::string body;   // UTF-8
};

class SmsChannel {
public:
    virtual ~SmsChannel() = default;
    virtual DeliveryResult send(const OutboundSms& sms) = 0;
};

}  // namespace duegate::channels
