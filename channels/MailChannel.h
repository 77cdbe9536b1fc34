// MailChannel: sends one OutboundMail and says what became of it (Delivered | Retry | Failed).
//
// Implementations: SmtpMailChannel (a relay over SMTP, optional STARTTLS) and FileMailChannel
// (writes .eml files into an outbox folder: the default when no relay is configured). The outbox
// dispatcher picks one by configuration and never knows which.
// Contract: send() never throws for delivery problems (see Delivery.h). It assigns a Message-ID
// when the mail has none; the caller that wants idempotent resends sets one itself (a resend with
// the same Message-ID lets receivers and FileMailChannel recognise the duplicate).
// Thread-safety: implementations may be called from several dispatcher threads at once.
#pragma once

#include "channels/Delivery.h"
#include "channels/OutboundMail.h"

namespace duegate::channels {

class MailChannel {
public:
    virtual ~MailChannel() = default;
    virtual DeliveryResult send(const OutboundMail& mail) = 0;
};

}  // namespace duegate::channels
