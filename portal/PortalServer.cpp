#include "portal/PortalServer.h"

#include "platform/Log.h"
#include "platform/Metrics.h"

#include "portal/Http.h"
#include "portal/HttpEngine.h"
#include "portal/Router.h"
#include "portal/Routes.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <stdexcept>

namespace duegate::portal {
namespace {

// The same on every response (DESIGN.md security model): no inline scripts or foreign resources,
// no MIME sniffing, no Referer (debtor links carry tokens), nothing cached (pages are private).
// A route may replace the CSP or X-Frame-Options for its own answer (StaffRoutes.cpp: a PDF framed
// by the review page of this origin); every other header of a route is added.
HttpEngineOptions engineOptions(const PortalOptions& opts) {
    HttpEngineOptions e;
    e.threads = opts.maxThreads;
    e.maxConnections = opts.maxThreads + opts.maxQueued;
    e.maxBodyBytes = opts.maxBodyBytes;
    e.commonHeaders = {
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; "
         "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
        {"X-Frame-Options", "DENY"},
    };
    e.replaceableHeaders = {"Content-Security-Policy", "X-Frame-Options"};
    return e;
}

// The debtor's dispute form carries an attachment: its route gets the larger upload bound.
// So do the finance team's statement upload (FinanceRoutes.cpp) and the creditor's new-dossier
// form and bulk upload (CreditorRoutes.cpp).
bool isUpload(const std::string& method, const std::string& path) {
    if (method != "POST") return false;
    if (path == "/payments/upload" || path == "/dossiers/new" || path == "/upload") return true;
    return path.rfind("/d/", 0) == 0 && path.size() > 11 && path.compare(path.size() - 8, 8, "/dispute") == 0;
}

std::string pathForLog(const Request& req) {
    // Debtor tokens are credentials: never in the log.
    return req.path.rfind("/d/", 0) == 0 ? std::string("/d/…") : req.path.substr(0, 200);
}

Poco::Net::SocketAddress parseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 >= listen.size())
        throw std::invalid_argument("portal listen: expected host:port, got '" + listen + "'");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string portText = listen.substr(colon + 1);
    unsigned long port = 0;
    for (char c : portText) {
        if (c < '0' || c > '9' || port > 65535) throw std::invalid_argument("portal listen: bad port in '" + listen + "'");
        port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port > 65535) throw std::invalid_argument("portal listen: bad port in '" + listen + "'");
    return Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port));
}

}  // namespace

PortalServer::PortalServer(services::Context& ctx, PortalOptions opts) : _ctx(ctx), _opts(std::move(opts)) {
    if (_opts.maxThreads == 0 || _opts.maxThreads > 1024)
        throw std::invalid_argument("portal max threads: expected 1..1024");
    _router = std::make_shared<Router>();
    _router->setNotFound([](Request& req) {
        return req.path.rfind("/api/", 0) == 0 ? apiNotFoundResponse() : notFoundResponse(req);
    });
    addHealthRoutes(*_router, _ctx);
    addApiRoutes(*_router, _ctx);
    addPaymentApiRoutes(*_router, _ctx);
    addDebtorRoutes(*_router, _ctx);
    addHookRoutes(*_router, _ctx);
    addPortalRoutes(*_router, _ctx, _opts);
    addFinanceRoutes(*_router, _ctx, _opts);
    addStaffRoutes(*_router, _ctx);
    addCreditorRoutes(*_router, _ctx);
    addSecurityRoutes(*_router, _ctx, _opts);  // SecurityRoutes.cpp
}

PortalServer::~PortalServer() {
    try {
        stop();
    } catch (...) {
    }
}

void PortalServer::start() {
    if (_engine) return;
    // SO_REUSEADDR for a quick restart, but not SO_REUSEPORT (Poco's address constructor sets
    // both): a second serve on the same port must fail to start, not silently share the traffic.
    auto socket = std::make_unique<Poco::Net::ServerSocket>();
    socket->bind(parseListen(_opts.listen), true, false);
    socket->listen(1024);
    _port = socket->address().port();

    HttpEngineOptions e = engineOptions(_opts);
    const std::size_t body = _opts.maxBodyBytes, upload = _opts.maxUploadBytes;
    e.bodyLimit = [body, upload](const std::string& method, const std::string& path) {
        return isUpload(method, path) ? upload : body;
    };
    std::shared_ptr<const Router> router = _router;
    auto engine = std::make_unique<HttpEngine>(std::move(e), [router](Request& req) {
        try {
            return router->dispatch(req);
        } catch (const std::exception& ex) {
            platform::logError("portal", "500 internal error",
                               {{"method", req.method}, {"path", pathForLog(req)}, {"error", ex.what()}});
            platform::metrics::add("duegate_http_errors_total", {{"status", "500"}}, 1, "portal answers 500");
            return Response::text(500, "internal error\n");
        }
    });
    engine->start(socket->impl()->sockfd());
    _socket = std::move(socket);
    _engine = std::move(engine);
    platform::log(platform::LogLevel::Debug, "portal", "listening", {{"address", _socket->address().toString()}});
}

void PortalServer::stop() {
    if (!_engine) return;
    _engine->stop();
    _engine.reset();
    _socket->close();
    _socket.reset();
}

unsigned short PortalServer::port() const { return _port; }

}  // namespace duegate::portal
