// The portal's HTTP server: the JSON API (/api/v1), the debtor pages (/d/{token}), the creditor and
// staff portal (/, /login, /dossiers/{id}, /quarantine) and /healthz, on one Poco HTTPServer.
//
// Routing is a table (Router); handlers call gateway/services only (the portal never writes SQL).
// Every response carries the security headers (CSP, nosniff, no-referrer, no-store), added in one
// place. Bounds: request bodies above maxBodyBytes get 413 (the body is not read); Poco rejects a
// request with more than 100 header fields, a field name over 256 or a value over 8192 bytes with
// 400; connections beyond maxThreads wait in a queue of maxQueued, beyond that they are closed.
//
// Lifetime: the Context must outlive the server. start() binds and serves on a thread pool of
// its own; stop() stops accepting, aborts open connections and waits for the handlers; the
// destructor stops. start() throws Poco::Net::NetException when the address cannot be bound, and
// std::invalid_argument for a malformed `listen`.
// Thread-safety: start/stop from one controlling thread; handlers run on the pool's threads.
#pragma once

#include "gateway/services/Context.h"

#include <cstddef>
#include <memory>
#include <string>

namespace Poco { class ThreadPool; }
namespace Poco::Net { class HTTPServer; }

namespace duegate::portal {

struct PortalOptions {
    std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port (see port())
    // Connections served at once, 1..1024. A Poco server thread stays with its connection for the
    // whole keep-alive (up to 5 s idle), so with 16 threads the 17th browser waited behind idle
    // ones: at 50 keep-alive connections the list's p99 was 1.85 s with 16 threads, 119 ms with
    // 64 (docs/performance.md, Portal).
    unsigned maxThreads = 64;
    unsigned maxQueued = 100;               // accepted connections waiting for a thread
    std::size_t maxBodyBytes = 1 << 20;     // request body bound; larger -> 413
    std::size_t maxUploadBytes = (10u << 20) + (256u << 10);  // POST /d/{token}/dispute and /payments/upload (10 MiB file + form)
    bool secureCookies = false;             // set when base_url is https: cookies get `Secure`
};

class Router;

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
    std::unique_ptr<Poco::ThreadPool> _pool;
    std::unique_ptr<Poco::Net::HTTPServer> _server;
    unsigned short _port = 0;
};

}  // namespace duegate::portal
