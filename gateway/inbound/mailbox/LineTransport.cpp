#include "gateway/inbound/mailbox/LineTransport.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace duegate::inbound {

Poco::Net::StreamSocket connectSocket(const TransportOptions& o) {
    const Poco::Timespan timeout(o.timeoutSeconds, 0);
    const Poco::Net::SocketAddress address(o.host, o.port);
    Poco::Net::StreamSocket socket;
    if (o.tls) {
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", o.caFile,
                                                             Poco::Net::Context::VERIFY_RELAXED, 9, o.caFile.empty());
        Poco::Net::SecureStreamSocket secure(ctx);
        secure.setPeerHostName(o.host);
        secure.connect(address, timeout);
        secure.setReceiveTimeout(timeout);
        secure.setSendTimeout(timeout);
        secure.completeHandshake();
        secure.verifyPeerCertificate(o.host);   // the name in the URL must be the certificate's
        socket = secure;
    } else {
        socket.connect(address, timeout);
    }
    socket.setReceiveTimeout(timeout);
    socket.setSendTimeout(timeout);
    return socket;
}

void PocoLineTransport::write(std::string_view bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        int n = _socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
        if (n <= 0) throw Poco::IOException("connection closed while sending");
        sent += static_cast<std::size_t>(n);
    }
}

bool PocoLineTransport::fill() {
    if (_pos > 0 && _pos == _buffer.size()) {
        _buffer.clear();
        _pos = 0;
    }
    char buf[16384];
    int n = _socket.receiveBytes(buf, sizeof buf);   // throws TimeoutException after the timeout
    if (n <= 0) return false;
    _buffer.append(buf, static_cast<std::size_t>(n));
    return true;
}

std::string PocoLineTransport::readLine(std::size_t maxBytes) {
    for (;;) {
        const auto lf = _buffer.find('\n', _pos);
        if (lf != std::string::npos) {
            std::string line = _buffer.substr(_pos, lf - _pos);
            _pos = lf + 1;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        if (_buffer.size() - _pos > maxBytes) throw Poco::ProtocolException("line from the server too long");
        if (!fill()) throw Poco::IOException("connection closed by the server");
    }
}

std::string PocoLineTransport::readExactly(std::size_t n) {
    while (_buffer.size() - _pos < n)
        if (!fill()) throw Poco::IOException("connection closed by the server");
    std::string out = _buffer.substr(_pos, n);
    _pos += n;
    if (_pos == _buffer.size()) {
        _buffer.clear();
        _pos = 0;
    }
    return out;
}

}  // namespace duegate::inbound
