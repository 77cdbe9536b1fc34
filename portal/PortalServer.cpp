#include "portal/PortalServer.h"

#include "platform/Log.h"
#include "platform/Metrics.h"

#include "portal/Http.h"
#include "portal/Router.h"
#include "portal/Routes.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <istream>
#include <optional>
#include <stdexcept>

namespace duegate::portal {
namespace {

// The same on every response (DESIGN.md security model): no inline scripts or foreign resources,
// no MIME sniffing, no Referer (debtor links carry tokens), nothing cached (pages are private).
void addSecurityHeaders(Poco::Net::HTTPServerResponse& out) {
    out.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Referrer-Policy", "no-referrer");
    out.set("Cache-Control", "no-store");
    out.set("X-Frame-Options", "DENY");
}

void send(Poco::Net::HTTPServerResponse& out, const Response& r) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
    out.setContentType(r.contentType);
    addSecurityHeaders(out);
    // A route may replace a security header for its own answer (StaffRoutes.cpp: a PDF framed by
    // the review page of this origin); every other header is added.
    for (const auto& [name, value] : r.headers) {
        if (name == "Content-Security-Policy" || name == "X-Frame-Options") out.set(name, value);
        else out.add(name, value);
    }
    if (r.closeConnection) out.setKeepAlive(false);
    out.sendBuffer(r.body.data(), r.body.size());
}

Response tooLarge() {
    Response r = Response::text(413, "request body too large\n");
    r.closeConnection = true;  // the unread body must not be taken for the next request
    return r;
}

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    RequestHandler(const Router& router, const PortalOptions& opts) : _router(router), _opts(opts) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        Response response;
        try {
            response = handle(in);
        } catch (const std::exception& e) {
            platform::logError("portal", "500 internal error",
                               {{"method", in.getMethod()}, {"path", pathForLog(in)}, {"error", e.what()}});
            platform::metrics::add("duegate_http_errors_total", {{"status", "500"}}, 1, "portal answers 500");
            response = Response::text(500, "internal error\n");
        }
        if (!out.sent()) send(out, response);
    }

private:
    static std::string pathForLog(const Poco::Net::HTTPServerRequest& in) {
        // Debtor tokens are credentials: never in the log.
        const std::string& uri = in.getURI();
        return uri.rfind("/d/", 0) == 0 ? std::string("/d/…") : uri.substr(0, 200);
    }

    Response handle(Poco::Net::HTTPServerRequest& in) {
        Request req;
        req.method = in.getMethod();
        try {
            Poco::URI uri(in.getURI());
            req.path = uri.getPath();
            for (const auto& [k, v] : uri.getQueryParameters()) req.query[k] = v;
        } catch (const Poco::SyntaxException&) {
            Response r = Response::text(400, "bad request\n");
            r.closeConnection = true;
            return r;
        }
        for (const auto& [name, value] : in) req.headers.emplace_back(name, value);
        req.cookies = parseCookieHeader(in.get("Cookie", ""));
        req.remoteAddress = in.clientAddress().toString();

        if (auto error = readBody(in, req)) return *error;
        return _router.dispatch(req);
    }

    // The debtor's dispute form carries an attachment: its route gets the larger upload bound.
    // So do the finance team's statement upload (FinanceRoutes.cpp) and the creditor's new-dossier
    // form and bulk upload (CreditorRoutes.cpp).
    static bool isUpload(const Request& req) {
        if (req.method == "POST" && req.path == "/payments/upload") return true;
        if (req.method == "POST" && (req.path == "/dossiers/new" || req.path == "/upload")) return true;
        return req.method == "POST" && req.path.rfind("/d/", 0) == 0 && req.path.size() > 11 &&
               req.path.compare(req.path.size() - 8, 8, "/dispute") == 0;
    }

    // Reads at most maxBodyBytes (maxUploadBytes for uploads); 411/413 instead of reading more.
    // GET and HEAD have no body.
    std::optional<Response> readBody(Poco::Net::HTTPServerRequest& in, Request& req) {
        const std::size_t bound = isUpload(req) ? _opts.maxUploadBytes : _opts.maxBodyBytes;
        const bool chunked = in.getChunkedTransferEncoding();
        if (!chunked && !in.hasContentLength()) {
            if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
                Response r = Response::text(411, "length required\n");
                r.closeConnection = true;
                return r;
            }
            return std::nullopt;
        }
        if (!chunked && in.getContentLength64() > static_cast<Poco::Int64>(bound)) return tooLarge();
        std::istream& body = in.stream();
        char buffer[8192];
        while (body) {
            body.read(buffer, sizeof buffer);
            req.body.append(buffer, static_cast<std::size_t>(body.gcount()));
            if (req.body.size() > bound) return tooLarge();
        }
        return std::nullopt;
    }

    const Router& _router;
    const PortalOptions& _opts;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    HandlerFactory(std::shared_ptr<const Router> router, PortalOptions opts)
        : _router(std::move(router)), _opts(std::move(opts)) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(*_router, _opts);
    }

private:
    std::shared_ptr<const Router> _router;
    PortalOptions _opts;
};

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
    if (_server) return;
    // SO_REUSEADDR for a quick restart, but not SO_REUSEPORT (Poco's address constructor sets
    // both): a second serve on the same port must fail to start, not silently share the traffic.
    Poco::Net::ServerSocket socket;
    socket.bind(parseListen(_opts.listen), true, false);
    socket.listen(64);
    _port = socket.address().port();

    auto params = new Poco::Net::HTTPServerParams;  // reference-counted by the server
    params->setMaxThreads(static_cast<int>(_opts.maxThreads));
    params->setMaxQueued(static_cast<int>(_opts.maxQueued));
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(100);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setTimeout(Poco::Timespan(15, 0));  // a slow client cannot hold a thread for long

    // The dispatcher itself takes one thread of the pool.
    _pool = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(_opts.maxThreads) + 1, 60);
    _server = std::make_unique<Poco::Net::HTTPServer>(
        Poco::Net::HTTPRequestHandlerFactory::Ptr(new HandlerFactory(_router, _opts)), *_pool, socket, params);
    _server->start();
    platform::log(platform::LogLevel::Debug, "portal", "listening", {{"address", socket.address().toString()}});
}

void PortalServer::stop() {
    if (!_server) return;
    _server->stopAll(true);
    _pool->joinAll();
    _server.reset();
    _pool.reset();
}

unsigned short PortalServer::port() const { return _port; }

}  // namespace duegate::portal
