// SmtpSession: the server side of one SMTP (RFC 5321) or LMTP (RFC 2033) conversation, as a
// state machine without sockets. The TCP layer (SmtpServer) feeds it one line at a time and
// writes back whatever it returns; tests drive it with conversation tables.
//
// Inputs: greeting() once, then onLine(line) for every line received, WITHOUT its line ending
// (CRLF or a bare LF). A line longer than the configured limit must be passed truncated to
// limit+1 bytes (the rest of it discarded by the caller): the session sees "too long" from the
// length alone, so the caller never has to buffer an unbounded line.
// Outputs: a Reply with zero or more complete reply lines (CRLF-terminated) to send, and whether
// to close the connection after sending them. Lines of the DATA phase return an empty reply.
//
// When 250 is given after DATA: only when MailSink::deliver() returned stored=true (store before
// acknowledge). Otherwise 451 4.3.0 (temporary) or 554 5.6.0 (permanent); an exception thrown by
// the sink is a 451. Under LMTP the one outcome is repeated once per accepted recipient.
//
// Limits (SmtpSessionOptions, each configurable, each tested at limit and limit+1):
// - a command line longer than maxCommandLineBytes: 500 5.5.2;
// - a message larger than maxMessageBytes (counted after dot-unstuffing, CRLF included): the
//   rest of DATA is read and dropped, then 552 5.3.4; a larger MAIL FROM SIZE= gets 552 5.3.4 at once;
// - a DATA line longer than maxDataLineBytes: the rest is read and dropped, then 554 5.6.0;
// - more than maxRecipients RCPT: 452 4.5.3 (RFC 5321 4.5.3.1.10: the client sends the rest later);
// - maxErrors error replies are tolerated (5xx to commands: syntax, 503 sequence, 550 unknown
//   recipient, ...; not 4xx, which are our own trouble); the next error is answered 421 4.7.0
//   instead, and the session closes.
//
// MX duties: STARTTLS (tlsAvailable; the reply carries startTls and the caller must drop whatever
// the client pipelined after the command), SIZE, PIPELINING, 8BITMIME, SMTPUTF8 advertised and
// honoured; command and data-block timeouts and a deadline for the whole DATA phase (checkTimers);
// a daily quota per creditor is the sink's verdict (452 4.2.2 at RCPT). DATA larger than
// spoolThresholdBytes is spooled to a file as it arrives (SpoolBuffer), so memory is bounded by
// the threshold per session, not by the message size.
//
// Errors: bad client input is always a reply, never an exception. A bug (calling onLine after
// close) is asserted.
// Thread-safety: one session per connection, used from one thread. The sink must outlive the
// session; the options are copied.
#pragma once

#include "gateway/inbound/MailSink.h"
#include "gateway/inbound/SpoolBuffer.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::inbound {

struct SmtpSessionOptions {
    bool lmtp = false;                       // speak LMTP (LHLO; one reply per recipient after DATA)
    std::string hostname = "duegate.localhost";  // our name in the greeting and replies
    std::size_t maxMessageBytes = 26214400;  // 25 MiB; advertised as SIZE; >= 1
    std::size_t maxCommandLineBytes = 2048;  // without CRLF; RFC 5321 asks >= 510; SIZE=/BODY= need room
    std::size_t maxDataLineBytes = 8190;     // without CRLF; RFC says 998, but real invoice mails
                                             // break it and losing them is worse than storing them
    std::size_t maxRecipients = 100;         // RFC 5321 4.5.3.1.8: servers must take >= 100
    std::size_t maxErrors = 10;              // error replies tolerated; the next one gets 421 and close
    std::size_t maxAddressBytes = 256;       // RFC 5321 4.5.3.1.3 path limit (brackets excluded)
    bool tlsAvailable = false;               // offer STARTTLS (RFC 3207); the caller does the handshake
    // Timers (checkTimers()): RFC 5321 4.5.3.2 asks a server to wait at least 5 minutes for a
    // command; 3 minutes per data block is the client's own timeout there; the DATA deadline is
    // ours: a sender dripping a byte a minute cannot hold a session for ever.
    std::chrono::seconds commandTimeout{300};
    std::chrono::seconds dataBlockTimeout{180};
    std::chrono::seconds dataDeadline{600};
    std::function<std::chrono::steady_clock::time_point()> clock = [] { return std::chrono::steady_clock::now(); };
    std::size_t spoolThresholdBytes = 1048576;   // DATA beyond this goes to an unnamed file; 0 = never
    std::string spoolDir = "/tmp";               // where (same file system as the blobs is best)
};

struct Reply {
    std::string text;    // complete reply lines, each ending CRLF; empty = send nothing
    bool close = false;  // close the connection after sending text
    bool startTls = false;  // after sending text, do the TLS handshake, then call tlsStarted()

    int code() const;    // the code of the last line (0 when empty); for tests and logs
};

class SmtpSession {
public:
    SmtpSession(MailSink& sink, const SmtpSessionOptions& options, std::string remoteAddress = {});

    // The 220 banner, to send once on connect.
    std::string greeting() const;

    Reply onLine(std::string_view line);

    // What the caller should tell the client when it gives up on the connection itself.
    Reply timeout();      // 421 4.4.2, close
    Reply shuttingDown(); // 421 4.3.2, close
    // The caller asks this whenever it waits (each poll) and after each chunk: an empty reply
    // when all is well, else 421 4.4.2 and close (command or data-block timeout, DATA deadline).
    Reply checkTimers();
    // The TLS handshake after a 220 to STARTTLS succeeded: the session starts over (RFC 3207 4.2:
    // the client must EHLO again; nothing said before TLS counts) and STARTTLS is no longer offered.
    void tlsStarted();
    bool tlsActive() const { return _tlsActive; }

    bool inData() const { return _state == State::Data; }
    bool closed() const { return _state == State::Closed; }
    // The longest line the caller must be ready to pass (limit+1 marks "too long").
    std::size_t maxLineBytes() const;

    enum class State { Connected, Greeted, Mail, Rcpt, Data, Closed };
    State state() const { return _state; }

private:
    using Handler = Reply (SmtpSession::*)(std::string_view args);
    struct Command {
        std::string_view verb;
        Handler handler;
        bool smtp;   // allowed under SMTP
        bool lmtp;   // allowed under LMTP
    };
    static const Command kCommands[];

    Reply cmdHelo(std::string_view args);
    Reply cmdEhlo(std::string_view args);
    Reply cmdLhlo(std::string_view args);
    Reply cmdMail(std::string_view args);
    Reply cmdRcpt(std::string_view args);
    Reply cmdData(std::string_view args);
    Reply cmdRset(std::string_view args);
    Reply cmdNoop(std::string_view args);
    Reply cmdQuit(std::string_view args);
    Reply cmdVrfy(std::string_view args);
    Reply cmdHelp(std::string_view args);
    Reply cmdStartTls(std::string_view args);
    Reply cmdNotImplemented(std::string_view args);

    Reply onDataLine(std::string_view line);
    Reply endOfData();
    Reply hello(std::string_view args, bool extended);
    Reply error(std::string text);   // counts toward maxErrors
    void resetTransaction();

    MailSink& _sink;
    SmtpSessionOptions _options;
    State _state = State::Connected;
    Envelope _envelope;
    SpoolBuffer _data;
    bool _spoolFailed = false;
    bool _tlsActive = false;
    bool _smtpUtf8 = false;   // this transaction's MAIL had SMTPUTF8
    std::chrono::steady_clock::time_point _lastActivity;
    std::chrono::steady_clock::time_point _dataStart;
    bool _dataTooBig = false;
    bool _dataLineTooLong = false;
    std::size_t _errors = 0;
};

}  // namespace duegate::inbound
