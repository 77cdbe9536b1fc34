#include "channels/SmtpMailChannel.h"

#include <Poco/DateTime.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/DialogSocket.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <mutex>
#include <stdexcept>

namespace duegate::channels {

namespace {

// OpenSSL and Poco's SSLManager are process-wide. Without an explicit handler Poco would load one
// from the application configuration (possibly a console prompt): reject invalid certificates.
void initializeTls() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(new Poco::Net::RejectCertificateHandler(false));
        Poco::Net::Context::Ptr ctx(new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                           Poco::Net::Context::VERIFY_RELAXED, 9, true));
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
    });
}

std::string oneLine(std::string s) {
    for (char& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    return s;
}

// Dot-stuffs a CRLF message and appends the end-of-data marker (RFC 5321 4.5.2).
std::string dataPayload(const std::string& raw) {
    std::string out;
    out.reserve(raw.size() + raw.size() / 64 + 8);
    bool lineStart = true;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (lineStart && c == '.') out += '.';
        if (c == '\n' && (i == 0 || raw[i - 1] != '\r')) out += '\r';   // a bare LF slipped in
        out += c;
        lineStart = c == '\n';
    }
    if (!out.empty() && !lineStart) out += "\r\n";
    out += ".\r\n";
    return out;
}

bool offersStartTls(const std::string& ehloReply) {
    // Poco joins multi-line replies with "\n"; each line is "250-KEYWORD ..." or "250 KEYWORD".
    std::string upper = Poco::toUpper(ehloReply);
    std::size_t pos = 0;
    while ((pos = upper.find("STARTTLS", pos)) != std::string::npos) {
        bool startOk = pos >= 4 && (upper[pos - 1] == '-' || upper[pos - 1] == ' ');
        bool endOk = pos + 8 == upper.size() || upper[pos + 8] == '\n' || upper[pos + 8] == '\r' || upper[pos + 8] == ' ';
        if (startOk && endOk) return true;
        pos += 8;
    }
    return false;
}

class Conversation {
public:
    Conversation(const SmtpRelayOptions& o) : _o(o) {}

    DeliveryResult run(const std::string& from, const std::string& rcpt, const std::string& raw,
                       const std::string& messageId) {
        Poco::Net::StreamSocket plain;
        plain.connect(Poco::Net::SocketAddress(_o.host, _o.port), Poco::Timespan(_o.connectTimeoutSeconds, 0));
        setTimeouts(plain);
        _ds = Poco::Net::DialogSocket(plain);
        std::string reply;
        int status = _ds.receiveStatusMessage(reply);
        if (status / 100 != 2) return classify(status, reply, "greeting");

        std::string helo = _o.heloName.empty() ? Poco::Environment::nodeName() : _o.heloName;
        std::string ehlo;
        status = command("EHLO " + helo, ehlo);
        bool extended = status / 100 == 2;
        if (!extended && status / 100 == 5) status = command("HELO " + helo, ehlo);
        if (status / 100 != 2) return classify(status, ehlo, "EHLO");

        if (_o.starttls != SmtpRelayOptions::StartTls::Off) {
            const bool required = _o.starttls == SmtpRelayOptions::StartTls::Required;
            if (extended && offersStartTls(ehlo)) {
                status = command("STARTTLS", reply);
                if (status == 220) {
                    Poco::Net::SecureStreamSocket secure =
                        Poco::Net::SecureStreamSocket::attach(plain, _o.host, context());
                    setTimeouts(secure);
                    _ds = Poco::Net::DialogSocket(secure);
                    status = command("EHLO " + helo, ehlo);   // RFC 3207 4.2: forget and ask again
                    if (status / 100 != 2) return classify(status, ehlo, "EHLO after STARTTLS");
                } else if (required || status / 100 == 4) {
                    return Retry{"STARTTLS refused: " + oneLine(reply), _o.retryAfterSeconds};
                }
            } else if (required) {
                quit();
                return Retry{"relay does not offer STARTTLS (starttls = required)", _o.retryAfterSeconds};
            }
        }

        status = command("MAIL FROM:<" + from + ">", reply);
        if (status / 100 != 2) return classify(status, reply, "MAIL FROM");
        status = command("RCPT TO:<" + rcpt + ">", reply);
        if (status / 100 != 2) return classify(status, reply, "RCPT TO");
        status = command("DATA", reply);
        if (status != 354) return classify(status, reply, "DATA");

        std::string payload = dataPayload(raw);
        std::size_t sent = 0;
        while (sent < payload.size()) {
            int n = _ds.sendBytes(payload.data() + sent, static_cast<int>(payload.size() - sent));
            if (n <= 0) throw Poco::IOException("connection closed while sending the message");
            sent += static_cast<std::size_t>(n);
        }
        _afterData = true;
        // The relay may take its time to queue the mail: wait as long as RFC 5321 says for this
        // reply, however short the other replies' timeout is.
        _ds.setReceiveTimeout(Poco::Timespan(_o.finalReplyTimeoutSeconds, 0));
        status = _ds.receiveStatusMessage(reply);
        _ds.setReceiveTimeout(Poco::Timespan(_o.commandTimeoutSeconds, 0));
        if (status / 100 != 2) return classify(status, reply, "end of data");
        quit();
        std::string id = reply.size() > 4 ? oneLine(reply.substr(4)) : std::string();
        return Delivered{id.empty() ? messageId : id};
    }

    bool afterData() const { return _afterData; }

private:
    void setTimeouts(Poco::Net::StreamSocket& s) {
        s.setReceiveTimeout(Poco::Timespan(_o.commandTimeoutSeconds, 0));
        s.setSendTimeout(Poco::Timespan(_o.commandTimeoutSeconds, 0));
    }

    int command(const std::string& line, std::string& reply) {
        _ds.sendMessage(line);
        return _ds.receiveStatusMessage(reply);
    }

    void quit() {
        try {
            std::string ignored;
            command("QUIT", ignored);
        } catch (const Poco::Exception&) {
            // the mail is decided; a relay that hangs up early changes nothing
        }
    }

    DeliveryResult classify(int status, const std::string& reply, const std::string& step) {
        // Poco reports a connection closed by the peer as status 0 with no text.
        std::string reason = step + ": " + (status <= 0 ? "connection closed by the relay" : oneLine(reply));
        quit();
        if (_afterData && status / 100 != 5 && status / 100 != 4)
            return Unknown{"state unknown, lost after end of data: " + reason};
        if (status / 100 == 5) return Failed{reason};
        return Retry{reason, _o.retryAfterSeconds};   // 4xx, and anything unexpected
    }

    Poco::Net::Context::Ptr context() {
        initializeTls();
        return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", _o.caLocation,
                                      _o.verifyCertificate ? Poco::Net::Context::VERIFY_RELAXED
                                                           : Poco::Net::Context::VERIFY_NONE,
                                      9, _o.caLocation.empty());
    }

    const SmtpRelayOptions& _o;
    Poco::Net::DialogSocket _ds;
    bool _afterData = false;
};

}  // namespace

bool parseStartTls(const std::string& text, SmtpRelayOptions::StartTls& out) {
    std::string t = Poco::toLower(text);
    if (t == "off") out = SmtpRelayOptions::StartTls::Off;
    else if (t == "opportunistic") out = SmtpRelayOptions::StartTls::Opportunistic;
    else if (t == "required") out = SmtpRelayOptions::StartTls::Required;
    else return false;
    return true;
}

SmtpMailChannel::SmtpMailChannel(SmtpRelayOptions options) : _options(std::move(options)) {
    if (_options.starttls != SmtpRelayOptions::StartTls::Off) initializeTls();
}

DeliveryResult SmtpMailChannel::send(const OutboundMail& input) {
    OutboundMail mail = input;
    auto rendered = renderForSending(mail, _options.dkim.get());
    if (auto* failed = std::get_if<Failed>(&rendered)) return *failed;
    const std::string& raw = std::get<std::string>(rendered);
    std::string from = !mail.returnPath.empty()       ? mail.returnPath
                       : _options.envelopeFrom.empty() ? addressOf(mail.from)
                                                       : _options.envelopeFrom;
    return sendRaw(from, addressOf(mail.to), raw, "<" + mail.messageId + ">");
}

DeliveryResult SmtpMailChannel::sendRaw(const std::string& envelopeFrom, const std::string& recipient,
                                        const std::string& rawMessage, const std::string& messageId) {
    // CR/LF in an address would let it smuggle commands into the dialogue.
    if (recipient.empty() || recipient.find_first_of("\r\n<>") != std::string::npos ||
        envelopeFrom.find_first_of("\r\n<>") != std::string::npos)
        return Failed{"invalid envelope address"};
    Conversation c(_options);
    try {
        return c.run(envelopeFrom, recipient, rawMessage, messageId);
    } catch (const Poco::Exception& e) {
        if (c.afterData()) return Unknown{"state unknown, no reply to the end of data: " + e.displayText()};
        return Retry{e.displayText(), _options.retryAfterSeconds};
    } catch (const std::exception& e) {
        if (c.afterData()) return Unknown{std::string("state unknown, no reply to the end of data: smtp: ") + e.what()};
        return Retry{std::string("smtp: ") + e.what(), _options.retryAfterSeconds};
    }
}

}  // namespace duegate::channels
