#include "gateway/inbound/SmtpServer.h"

#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>

#include <algorithm>
#include <cassert>
#include <cerrno>

#include <sys/socket.h>

namespace duegate::inbound {

namespace {

Poco::Logger& logger() { return Poco::Logger::get("duegate.inbound.smtp"); }

class SmtpConnection : public Poco::Net::TCPServerConnection {
public:
    SmtpConnection(const Poco::Net::StreamSocket& socket, std::shared_ptr<SmtpServer::Shared> shared)
        : Poco::Net::TCPServerConnection(socket), _shared(std::move(shared)) {}

    void run() override {
        // Counted for the whole life of the thread, so stop() and the limit see every session.
        struct Count {
            std::atomic<unsigned>& n;
            unsigned now;
            explicit Count(std::atomic<unsigned>& c) : n(c), now(++c) {}
            ~Count() { --n; }
        } count(_shared->active);

        _io = socket();
        std::string peer, host;
        try {
            peer = _io.peerAddress().toString();
            host = _io.peerAddress().host().toString();
        } catch (const Poco::Exception&) {
            return;   // already gone
        }
        // Sessions per client address, for the whole life of the thread.
        struct PerClient {
            SmtpServer::Shared& s;
            std::string host;
            unsigned now;
            PerClient(SmtpServer::Shared& sh, std::string h) : s(sh), host(std::move(h)) {
                std::lock_guard lock(s.clientsMutex);
                now = ++s.clients[host];
            }
            ~PerClient() {
                std::lock_guard lock(s.clientsMutex);
                if (--s.clients[host] == 0) s.clients.erase(host);
            }
        } perClient(*_shared, host);

        SmtpSession session(_shared->sink, _shared->session, peer);
        try {
            _io.setSendTimeout(Poco::Timespan(_shared->options.sendTimeoutSeconds, 0));
            // A plain connection's recv() wakes at least this often to look at stop() and the timers.
            _io.setReceiveTimeout(Poco::Timespan(0, std::max(1, _shared->options.pollMilliseconds) * 1000));
            if (count.now > _shared->options.maxConnections) {
                sendAll("421 4.3.2 " + _shared->session.hostname + " Too many connections, try again later\r\n");
                return;
            }
            if (perClient.now > _shared->options.maxSessionsPerClient) {
                sendAll("421 4.7.0 " + _shared->session.hostname +
                        " Too many connections from your address, try again later\r\n");
                return;
            }
            converse(session);
        } catch (const Poco::Exception& e) {
            // Reset, broken pipe, send timeout: this connection ends, nothing unacknowledged is kept.
            logger().debug("smtp connection from " + peer + " ended: " + e.displayText());
        }
    }

private:
    void sendAll(const std::string& text) {
        std::size_t sent = 0;
        while (sent < text.size()) {
            int n = _io.sendBytes(text.data() + sent, static_cast<int>(text.size() - sent));
            if (n <= 0) throw Poco::IOException("send failed");
            sent += static_cast<std::size_t>(n);
        }
    }

    // The handshake after "220 Ready to start TLS"; throws (and the connection ends) when it fails.
    void startTls() {
        Poco::Net::SecureStreamSocket secure = Poco::Net::SecureStreamSocket::attach(_io, _shared->tls);
        secure.setSendTimeout(Poco::Timespan(_shared->options.sendTimeoutSeconds, 0));
        secure.setReceiveTimeout(Poco::Timespan(_shared->options.sendTimeoutSeconds, 0));
        secure.completeHandshake();
        _io = secure;
    }

    // Nothing arrived within the poll interval: the session's timers decide. False: closed.
    bool idle(SmtpSession& session) {
        Reply t = session.checkTimers();
        if (!t.close) return true;
        sendAll(t.text);
        return false;
    }

    void converse(SmtpSession& session) {
        auto& sock = _io;
        const auto& o = _shared->options;
        sendAll(session.greeting());

        // A line is kept up to limit+2 bytes (limit+1 marks "too long" for the session, +1 for a
        // CR); the rest of an over-long line is dropped until its LF.
        const std::size_t cap = session.maxLineBytes() + 2;
        std::string pending;
        pending.reserve(std::min<std::size_t>(cap, 4096));
        std::string out;
        char buf[16384];
        const Poco::Timespan poll(0, std::max(1, o.pollMilliseconds) * 1000);

        for (;;) {
            if (_shared->stopping) {
                sendAll(session.shuttingDown().text);
                return;
            }
            int n = 0;
            if (session.tlsActive()) {
                // TLS may hold decrypted bytes the socket no longer shows to poll().
                if (sock.available() <= 0 && !sock.poll(poll, Poco::Net::Socket::SELECT_READ)) {
                    if (!idle(session)) return;
                    continue;
                }
                n = sock.receiveBytes(buf, sizeof buf);
            } else {
                // Plain TCP: one blocking recv() that gives up after the poll interval (SO_RCVTIMEO,
                // set in run()), instead of Poco's poll() (epoll_create, epoll_ctl, epoll_wait and
                // close for every wait) plus FIONREAD: four syscalls less per command.
                n = static_cast<int>(::recv(sock.impl()->sockfd(), buf, sizeof buf, 0));
                if (n < 0) {
                    const int e = errno;
                    if (e == EINTR) continue;
                    if (e == EAGAIN || e == EWOULDBLOCK) {
                        if (!idle(session)) return;
                        continue;
                    }
                    return;   // reset or similar: nothing unacknowledged is kept
                }
            }
            if (n <= 0) return;   // client closed: whatever was not acknowledged is not ours

            // Feed every complete line, collect the replies, send them in one write (pipelining).
            out.clear();
            std::string_view chunk(buf, static_cast<std::size_t>(n));
            bool close = false;
            bool tls = false;
            while (!chunk.empty() && !close && !tls) {
                auto lf = chunk.find('\n');
                auto piece = chunk.substr(0, lf);
                if (pending.size() < cap) pending.append(piece.substr(0, cap - pending.size()));
                if (lf == std::string_view::npos) break;
                chunk.remove_prefix(lf + 1);

                const std::size_t limit = session.maxLineBytes();
                if (!pending.empty() && pending.back() == '\r' && pending.size() <= limit + 1) pending.pop_back();
                if (pending.size() > limit + 1) pending.resize(limit + 1);
                Reply r = session.onLine(pending);
                pending.clear();
                out += r.text;
                close = r.close;
                tls = r.startTls;
            }
            if (!close && !tls) {
                Reply t = session.checkTimers();   // a slow drip of bytes does not reset the DATA deadline
                out += t.text;
                close = t.close;
            }
            if (!out.empty()) sendAll(out);
            if (close) return;
            if (tls) {
                pending.clear();   // nothing sent in the clear after STARTTLS counts (RFC 3207 4.2)
                startTls();
                session.tlsStarted();
            }
        }
    }

    std::shared_ptr<SmtpServer::Shared> _shared;
    Poco::Net::StreamSocket _io;   // the connection; becomes a SecureStreamSocket after STARTTLS
};

class SmtpConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    explicit SmtpConnectionFactory(std::shared_ptr<SmtpServer::Shared> shared) : _shared(std::move(shared)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new SmtpConnection(socket, _shared);
    }

private:
    std::shared_ptr<SmtpServer::Shared> _shared;
};

// Threads: one per allowed session, plus two so that the connection over the limit still gets a
// thread to be told 421 instead of waiting silently in Poco's queue.
int threadCount(const SmtpServerOptions& o) { return static_cast<int>(std::max(1u, o.maxConnections)) + 2; }

}  // namespace

SmtpSessionOptions SmtpServerOptions::sessionOptions() const {
    SmtpSessionOptions s;
    s.lmtp = lmtp;
    s.hostname = hostname.empty() ? Poco::Environment::nodeName() : hostname;
    s.maxMessageBytes = maxMessageBytes;
    s.maxCommandLineBytes = maxCommandLineBytes;
    s.maxDataLineBytes = maxDataLineBytes;
    s.maxRecipients = maxRecipients;
    s.maxErrors = maxErrors;
    s.tlsAvailable = !tlsCertFile.empty() && !tlsKeyFile.empty();
    s.commandTimeout = std::chrono::seconds(std::max(1, idleTimeoutSeconds));
    s.dataBlockTimeout = std::chrono::seconds(std::max(1, dataBlockTimeoutSeconds));
    s.dataDeadline = std::chrono::seconds(std::max(1, dataDeadlineSeconds));
    s.spoolThresholdBytes = spoolThresholdBytes;
    s.spoolDir = spoolDir;
    return s;
}

SmtpServer::SmtpServer(MailSink& sink, const SmtpServerOptions& options)
    : _shared(std::make_shared<Shared>(sink, options)),
      _pool(2, threadCount(options), 60) {
    if (_shared->session.tlsAvailable)
        _shared->tls = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.tlsKeyFile,
                                              options.tlsCertFile, "", Poco::Net::Context::VERIFY_NONE);
    // SO_REUSEADDR for a quick restart, but not SO_REUSEPORT (Poco's two-argument bind sets both):
    // a second serve on the same port must fail to start, not silently take half the sessions.
    _socket.bind(Poco::Net::SocketAddress(options.listen), true, false);
    _socket.listen(static_cast<int>(std::max(8u, options.maxQueued)));
    _port = _socket.address().port();
}

SmtpServer::~SmtpServer() {
    try {
        stop();
    } catch (...) {
        // a destructor must not throw; the threads are gone or going either way
    }
}

void SmtpServer::start() {
    assert(!_started && "SmtpServer::start called twice");
    auto params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(threadCount(_shared->options));
    params->setMaxQueued(static_cast<int>(_shared->options.maxQueued));
    _server = std::make_unique<Poco::Net::TCPServer>(new SmtpConnectionFactory(_shared), _pool, _socket, params);
    _server->start();
    _started = true;
}

void SmtpServer::stop() {
    if (_stopped) return;
    _stopped = true;
    _shared->stopping = true;
    if (_server) _server->stop();   // no new connections; queued ones are dropped unanswered
    _pool.joinAll();                 // sessions notice `stopping` within one poll interval
    _socket.close();
}

std::uint16_t SmtpServer::port() const { return _port; }

unsigned SmtpServer::activeConnections() const { return _shared->active.load(); }

}  // namespace duegate::inbound
