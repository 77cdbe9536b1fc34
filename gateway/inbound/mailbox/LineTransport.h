// LineTransport: a text protocol's view of a connection (the IMAP client's only I/O), so the
// protocol code can be tested against a scripted peer. PocoLineTransport is the real one: a TCP
// or TLS (implicit, certificate checked against the CA file or the system store) connection with
// a timeout on every read and write.
#pragma once

#include <Poco/Net/StreamSocket.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace duegate::inbound {

class LineTransport {
public:
    virtual ~LineTransport() = default;
    virtual void write(std::string_view bytes) = 0;
    // One line without its CRLF; throws when the peer closes, times out, or the line passes maxBytes.
    virtual std::string readLine(std::size_t maxBytes) = 0;
    virtual std::string readExactly(std::size_t n) = 0;
};

struct TransportOptions {
    std::string host;
    std::uint16_t port = 0;
    bool tls = false;
    std::string caFile;        // PEM bundle to trust for TLS; empty = the system's store
    int timeoutSeconds = 60;
};

// Opens a connection (TLS when asked) ready for a protocol to speak. Throws Poco::Exception.
Poco::Net::StreamSocket connectSocket(const TransportOptions& o);

class PocoLineTransport final : public LineTransport {
public:
    explicit PocoLineTransport(Poco::Net::StreamSocket socket) : _socket(std::move(socket)) {}
    void write(std::string_view bytes) override;
    std::string readLine(std::size_t maxBytes) override;
    std::string readExactly(std::size_t n) override;

private:
    bool fill();
    Poco::Net::StreamSocket _socket;
    std::string _buffer;
    std::size_t _pos = 0;
};

}  // namespace duegate::inbound
