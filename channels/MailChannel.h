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
#include "channels/DkimSigner.h"
#include "channels/OutboundMail.h"

#include <Poco/DateTime.h>

#include <stdexcept>
#include <string>
#include <variant>

namespace duegate::channels {

class MailChannel {
public:
    virtual ~MailChannel() = default;
    virtual DeliveryResult send(const OutboundMail& mail) = 0;
};

// What every mail channel does first: give `mail` its Message-ID and render it, dated now, and
// DKIM-sign it when a signer is given. A mail that cannot be rendered (renderMail's
// std::invalid_argument) or signed is a permanent failure.
inline std::variant<std::string, Failed> renderForSending(OutboundMail& mail, const DkimSigner* dkim = nullptr) {
    std::string raw;
    try {
        ensureMessageId(mail);
        raw = renderMail(mail, Poco::DateTime());
    } catch (const std::invalid_argument& e) {
        return Failed{std::string("invalid mail: ") + e.what()};
    }
    if (!dkim) return raw;
    try {
        return dkim->sign(raw);
    } catch (const std::exception& e) {
        return Failed{e.what()};
    }
}

}  // namespace duegate::channels
