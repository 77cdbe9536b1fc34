// MailSink: where the SMTP/LMTP listener hands a received mail; the one seam between the
// protocol (SmtpSession, no I/O) and the store (the foundation's IntakeSink adapter).
//
// Contract
// - checkRecipient() is asked once per RCPT TO, with the address exactly as the client wrote it
//   between the angle brackets (no case folding). It must be cheap: it runs while the client waits.
// - deliver() is called once per DATA transaction with the envelope and the raw message bytes as
//   they arrived (dot-unstuffed, every line ending CRLF, the CRLF before the final "." included;
//   no Received: header is added: the envelope travels beside the bytes, so the stored bytes are
//   exactly the client's and their sha256 is a stable natural key). One deliver() covers every
//   accepted recipient, also under LMTP.
// - deliver() may set stored=true ONLY after the bytes are durable (blob fsynced and the row
//   committed): the session answers 250 on that and only that. When it cannot store, it says
//   whether retrying could help (temporary=true -> 451 4.3.0) or not (temporary=false -> 554 5.6.0).
//   It should not throw; if it does, the session treats it as a temporary failure (451).
// - error is for the log and the reply text; it is sanitised (CR/LF removed, length bounded)
//   before it is sent to the client, but should still not carry secrets.
// Thread-safety: SmtpServer calls one sink from many connection threads at once: implementations
// must be thread-safe. rawMessage is only valid during the call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace duegate::inbound {

struct Envelope {
    std::string heloName;       // the argument of EHLO/HELO/LHLO, as given
    std::string remoteAddress;  // "ip:port" of the client; empty when unknown (tests)
    std::string mailFrom;       // reverse-path without brackets; "" for the null sender <>
    std::vector<std::string> recipients;  // accepted RCPT TO addresses, in order, without brackets
};

class MailSink {
public:
    virtual ~MailSink() = default;

    enum class RecipientVerdict {
        Accept,
        UnknownRecipient,   // 550 5.1.1
        TemporaryFailure,   // 451 4.3.0 (e.g. the store cannot be asked right now)
        QuotaExceeded       // 452 4.2.2 (the recipient's daily volume is used up; retry tomorrow)
    };
    virtual RecipientVerdict checkRecipient(const std::string& address) = 0;

    struct Outcome {
        bool stored = false;     // true only when the raw bytes are durable
        bool temporary = true;   // when !stored: may the client retry later?
        std::string queueId;     // when stored: shown to the client as "queued as <queueId>"
        std::string error;       // when !stored: why
    };
    virtual Outcome deliver(const Envelope& envelope, std::string_view rawMessage) = 0;
};

}  // namespace duegate::inbound
