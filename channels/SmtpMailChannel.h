// SmtpMailChannel: sends an OutboundMail through one SMTP relay (RFC 5321), one connection per
// send, with optional STARTTLS (RFC 3207).
//
// Classification (the reason carries the server's reply or the exception text):
// - the final reply to DATA is 2xx          -> Delivered{the reply text, e.g. "2.0.0 Ok: queued as X";
//                                              the Message-ID when the server says nothing};
// - any 4xx on the way (greeting, MAIL, RCPT, DATA, end of data) -> Retry;
// - any 5xx                                 -> Failed (HELO is retried as EHLO's fallback first);
// - cannot connect, timeout, reset, TLS handshake failure -> Retry;
// - starttls=required and the server offers no STARTTLS or refuses it -> Retry (it is the relay's
//   configuration, which an operator can fix; the dispatcher dead-letters after its bound);
// - the mail cannot be rendered (see renderMail) -> Failed.
// A connection lost after the final "." was sent but before its reply, or no reply within
// finalReplyTimeoutSeconds (RFC 5321 4.5.3.2.6: wait 10 minutes for it), is Unknown: the relay may
// have queued the mail, so the outbox parks it for a person instead of resending it.
// Thread-safety: send() may run concurrently; each call has its own connection.
#pragma once

#include "channels/MailChannel.h"

#include <cstdint>
#include <memory>
#include <string>

namespace duegate::channels {

struct SmtpRelayOptions {
    enum class StartTls { Off, Opportunistic, Required };

    std::string host = "127.0.0.1";     // the relay
    std::uint16_t port = 2526;          // 25/587 in production; 2526 is the example config's
    StartTls starttls = StartTls::Off;  // off | opportunistic (use it when offered) | required
    std::string heloName;               // our name in EHLO; empty = this machine's node name
    std::string envelopeFrom;           // MAIL FROM; empty = the address in mail.from
    int connectTimeoutSeconds = 30;
    int commandTimeoutSeconds = 120;    // per reply; RFC 5321 4.5.3.2 allows servers minutes
    int finalReplyTimeoutSeconds = 600; // the reply to the final "." (RFC 5321 4.5.3.2.6: 10 minutes)
    int retryAfterSeconds = 300;        // the Retry hint for temporary failures
    bool verifyCertificate = true;      // STARTTLS: check the chain and the host name
    std::string caLocation;             // PEM file or folder; empty = the system's CAs
    std::shared_ptr<const DkimSigner> dkim;  // signs every mail when set ([smtp_out] dkim_*)
};

class SmtpMailChannel : public MailChannel {
public:
    explicit SmtpMailChannel(SmtpRelayOptions options);

    DeliveryResult send(const OutboundMail& mail) override;

    // Sends already rendered bytes (CRLF line endings) to one recipient; for resending a stored
    // message exactly. messageId is only the providerId fallback.
    DeliveryResult sendRaw(const std::string& envelopeFrom, const std::string& recipient,
                           const std::string& rawMessage, const std::string& messageId);

private:
    SmtpRelayOptions _options;
};

// "off" | "opportunistic" | "required" (case-insensitive); false for anything else.
bool parseStartTls(const std::string& text, SmtpRelayOptions::StartTls& out);

}  // namespace duegate::channels
