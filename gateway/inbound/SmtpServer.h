// SmtpServer: the SMTP/LMTP listener. A thin Poco::Net::TCPServer that gives each connection its
// own SmtpSession and only moves bytes: it splits the stream into lines with a bounded buffer,
// applies the idle timeout and the connection limit, and writes the session's replies back.
// All protocol decisions (codes, limits, when 250 is given) are SmtpSession's.
//
// Lifecycle: the constructor binds the listening socket (so port() is known, also for port 0) but
// accepts nothing; start() begins accepting; stop() stops accepting, tells every open session
// "421 4.3.2 shutting down" within about one poll interval (a mail not yet acknowledged is simply
// retried by the client; a deliver() already running finishes and is acknowledged), and returns
// when every connection thread has ended. The destructor stops.
//
// Errors: the constructor throws Poco::Net::NetException (e.g. the address is in use) or
// Poco::InvalidArgumentException (a malformed listen address). A failing connection (reset,
// timeout) ends that connection only; nothing it sent is acknowledged.
// Thread-safety: start()/stop() from one controlling thread. The sink is called from many
// connection threads at once (see MailSink.h) and must outlive the server.
// Memory: each session in DATA holds up to spoolThresholdBytes on the heap (the rest is in an
// unnamed spool file), so the worst case is about maxConnections * spoolThresholdBytes.
// TLS: STARTTLS upgrades the connection in place (Poco SecureStreamSocket, server context from
// tlsCertFile/tlsKeyFile, loaded once in the constructor: a bad file fails start-up). Bytes the
// client pipelined after STARTTLS are discarded (CVE-2011-0411 class of command injection).
#pragma once

#include "gateway/inbound/MailSink.h"
#include "gateway/inbound/SmtpSession.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace duegate::inbound {

struct SmtpServerOptions {
    std::string listen = "127.0.0.1:2525";  // host:port; port 0 = any free port (see port())
    bool lmtp = false;                       // speak LMTP instead of SMTP
    std::string hostname;                    // name in the banner; empty = this machine's node name
    std::size_t maxMessageBytes = 26214400;  // 25 MiB; larger mails get 552 5.3.4
    std::size_t maxCommandLineBytes = 2048;  // see SmtpSessionOptions
    std::size_t maxDataLineBytes = 8190;     // see SmtpSessionOptions
    std::size_t maxRecipients = 100;         // per transaction; more get 452 4.5.3
    std::size_t maxErrors = 10;              // error replies tolerated per connection
    unsigned maxConnections = 32;            // concurrent sessions; one more gets 421 4.3.2 and is closed
    unsigned maxQueued = 64;                 // accepted connections waiting for a thread (Poco backlog)
    int idleTimeoutSeconds = 300;            // no command for this long: 421 4.4.2, close
                                             // (RFC 5321 4.5.3.2.7: at least 5 minutes)
    int dataBlockTimeoutSeconds = 180;       // inside DATA, no byte for this long: 421 4.4.2
    int dataDeadlineSeconds = 600;           // a whole DATA phase longer than this: 421 4.4.2
    unsigned maxSessionsPerClient = 10;      // concurrent sessions from one IP; more get 421 4.7.0
    std::string tlsCertFile;                 // PEM; with tlsKeyFile: STARTTLS is offered
    std::string tlsKeyFile;
    std::size_t spoolThresholdBytes = 1048576;  // DATA beyond this is spooled to a file; 0 = never
    std::string spoolDir = "/tmp";
    int sendTimeoutSeconds = 60;             // a client that does not read its replies is dropped
    int pollMilliseconds = 200;              // how often an idle connection looks at stop(); > 0

    SmtpSessionOptions sessionOptions() const;   // the per-session part of these options
};

class SmtpServer {
public:
    SmtpServer(MailSink& sink, const SmtpServerOptions& options);
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    void start();
    void stop();

    std::uint16_t port() const;        // the bound port (useful with listen port 0)
    unsigned activeConnections() const;

    // State shared by the listener and its connection threads; internal.
    struct Shared {
        Shared(MailSink& s, const SmtpServerOptions& o) : sink(s), options(o), session(o.sessionOptions()) {}
        MailSink& sink;
        SmtpServerOptions options;
        SmtpSessionOptions session;
        std::atomic<bool> stopping{false};
        std::atomic<unsigned> active{0};
        Poco::Net::Context::Ptr tls;                 // null: no STARTTLS
        std::mutex clientsMutex;
        std::map<std::string, unsigned> clients;     // sessions per client IP
    };

private:
    std::shared_ptr<Shared> _shared;
    Poco::Net::ServerSocket _socket;
    Poco::ThreadPool _pool;
    std::unique_ptr<Poco::Net::TCPServer> _server;
    std::uint16_t _port = 0;
    bool _started = false;
    bool _stopped = false;
};

}  // namespace duegate::inbound
