// The portal's HTTP server: the JSON API (/api/v1), the debtor pages (/d/{token}), the creditor and
// staff portal (/, /login, /dossiers/{id}, /quarantine) and /healthz, on the portal's own epoll
// engine (HttpEngine.h: a fixed pool of threads sharing one epoll set; idle connections hold no thread).
//
// Routing is a table (Router); handlers call gateway/services only (the portal never writes SQL).
// Every response carries the security headers (CSP, nosniff, no-referrer, no-store), added in one
// place. Bounds: request bodies above maxBodyBytes get 413 (the body is not read); a request with
// more than 100 header fields, a field name over 256 or a value over 8192 bytes gets 400; at most
// maxThreads + maxQueued connections are open at once, one more gets 503 and is closed.
//
// Lifetime: the Context must outlive the server. start() binds and serves on a thread pool of
// its own; stop() stops accepting, aborts open connections, waits for the handlers and closes the
// port; the
// destructor stops. start() throws Poco::Net::NetException when the address cannot be bound, and
// std::invalid_argument for a malformed `listen`.
// Thread-safety: start/stop from one controlling thread; handlers run on the pool's threads.
#pragma once

#include "gateway/services/Context.h"

#include <cstddef>
#include <memory>
#include <string>

namespace Poco::Net { class ServerSocket; }

namespace duegate::portal {

struct PortalOptions {
    std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port (see port())
    // Handler threads: requests handled at once, 1..1024. A thread is held only while a request is
    // handled (or while a handler blocks on the database), never by an idle keep-alive connection.
    unsigned maxThreads = 64;
    // Open connections beyond maxThreads: at most maxThreads + maxQueued connections are open at
    // once (idle keep-alive ones included); one more is answered 503 and closed. (Under Poco's
    // server this was the queue of accepted connections waiting for a thread, 100: 164 connections
    // in all. An idle connection now costs a descriptor and a few hundred bytes, not a thread, so
    // the default allows 512, about 85 browsers of 6 connections, well under the usual limit of
    // 1024 descriptors per process.)
    unsigned maxQueued = 448;
    std::size_t maxBodyBytes = 1 << 20;     // request body bound; larger -> 413
    std::size_t maxUploadBytes = (10u << 20) + (256u << 10);  // POST /d/{token}/dispute and /payments/upload (10 MiB file + form)
    bool secureCookies = false;             // set when base_url is https: cookies get `Secure`
};

class Router;
class HttpEngine;

class PortalServer {
public:
    PortalServer(services::Context& ctx, PortalOptions opts);
    ~PortalServer();
    PortalServer(const PortalServer&) = delete;
    PortalServer& operator=(const PortalServer&) = delete;

    void start();
    void stop();
    // The bound port (the actual one when `listen` asked for port 0); 0 before start().
    unsigned short port() const;

private:
    services::Context& _ctx;
    PortalOptions _opts;
    std::shared_ptr<Router> _router;
    std::unique_ptr<Poco::Net::ServerSocket> _socket;
    std::unique_ptr<HttpEngine> _engine;
    unsigned short _port = 0;
};

}  // namespace duegate::portal
