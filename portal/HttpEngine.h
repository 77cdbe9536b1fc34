// The portal's HTTP/1.1 server engine on epoll (Linux): it accepts, reads, parses and bounds the
// requests, runs a handler for each and writes the answers. PortalServer plugs the route table
// into it; handlers see only the portal's own Request/Response (Http.h), never sockets.
//
// Design (docs/portal.md "The HTTP engine" has the measurements): one epoll set shared by a
// pool of `threads` threads, of which only `pollers` (the number of cores) wait in epoll_wait at
// a time. Every connection is registered EPOLLONESHOT, so exactly one thread owns it from the
// moment it becomes readable (or writable) until that thread parks it again: the owning poller
// reads, parses, runs the handler inline and writes the answer itself, so a request costs no
// hand-over between threads and, under load, no wake-up either (a busy poller finds the next
// ready connection without sleeping). Handlers may block (on the database, Argon2, a PDF): a
// monitor thread sees a poller that has been inside one event for more than `stallMs` and hands
// its polling slot to a waiting thread of the pool, so the other connections never wait behind a
// blocked handler for longer than that; the blocked thread, once done, waits for a slot again.
// At most `threads` handlers run at once. An idle keep-alive connection holds no thread, only its
// slot (a few hundred bytes). An answer the socket cannot take at once (a PDF, a CSV export to a
// slow client) is parked with its remaining bytes and continued by whichever poller sees the
// socket writable, so a slow reader holds no thread either.
// Rejected: all 64 threads in epoll_wait (measured: each arriving request woke one of them, 60 %
// of the CPU went to task switches, /static/portal.css at 0.74x nginx instead of ~1.2x with 2
// pollers; 4 or 8 pollers measured too: 0.85-0.95x); not built: an I/O thread handing requests to
// a handler pool (two hand-overs and wake-ups per request), and N inline loops without the
// monitor (one slow handler stalls every connection of its loop).
//
// Contract:
// - HTTP/1.1 and 1.0; keep-alive (1.0 only when asked), pipelining (answers in order), HEAD
//   (headers only, Content-Length of the body), `Expect: 100-continue` (100 Continue before a body
//   within bounds is read), chunked request bodies (decoded, bounded).
// - Bounds, each answered and the connection closed: a request line over maxUriBytes -> 414;
//   malformed request, more than maxHeaderFields fields, a name over maxNameBytes or a value over
//   maxValueBytes -> 400; POST/PUT/PATCH without Content-Length and not chunked -> 411; a body over
//   bodyLimit(method, path) -> 413 without reading it (chunked: as soon as it passes the bound).
// - Request: method, path and query decoded as Poco::URI does (the query's '+' is a space, %XX
//   decoded, last parameter wins; a malformed %-escape -> 400), headers as sent (values trimmed),
//   cookies from the first Cookie header, remoteAddress "ip:port" ("[v6]:port").
// - Response: status line, Date, Content-Type, Content-Length, the commonHeaders (a handler's header
//   named in replaceableHeaders replaces the common one, others are added), the handler's headers,
//   `Connection: close` when Response::closeConnection, the client asked to close, or stop() runs.
// - Timeouts: a request's header must arrive within requestTimeoutMs of its first byte; a body may
//   pause at most requestTimeoutMs; an idle keep-alive connection closes after idleTimeoutMs; an
//   answer the client does not read for writeTimeoutMs is dropped.
// - At most maxConnections open connections; one more is answered 503 and closed.
// - A handler that throws: 500 (the PortalServer's handler logs and counts it before that).
// Lifetime: start() once with a bound, listening socket (not owned; the caller closes it after
// stop()); stop() stops accepting, aborts open connections (a running handler finishes, its answer
// is dropped) and joins every thread; the destructor stops. Thread-safety: start/stop from one
// controlling thread; the handler runs on the pool's threads, concurrently.
#pragma once

#include "portal/Http.h"

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace duegate::portal {

struct HttpEngineOptions {
    unsigned threads = 64;            // handler threads (requests handled at once)
    unsigned pollers = 0;             // threads polling at once; 0: the number of cores (at least 2)
    unsigned stallMs = 5;             // a poller inside one event this long hands its polling on
    unsigned stallCheckMs = 2;        // how often (every 20 ms after a second without requests)
    unsigned maxConnections = 512;    // open connections at once; beyond: 503 and close
    std::size_t maxBodyBytes = 1 << 20;
    // The body bound of one request (decoded path); when empty, maxBodyBytes for every request.
    std::function<std::size_t(const std::string& method, const std::string& path)> bodyLimit;
    std::size_t maxHeaderFields = 100;
    std::size_t maxNameBytes = 256;
    std::size_t maxValueBytes = 8192;
    std::size_t maxUriBytes = 16384;
    int requestTimeoutMs = 15000;
    int idleTimeoutMs = 5000;
    int writeTimeoutMs = 15000;
    std::vector<std::pair<std::string, std::string>> commonHeaders;  // on every response
    std::vector<std::string> replaceableHeaders;                     // exact names, e.g. "X-Frame-Options"
};

class HttpEngine {
public:
    using Handler = std::function<Response(Request&)>;

    HttpEngine(HttpEngineOptions options, Handler handler);
    ~HttpEngine();
    HttpEngine(const HttpEngine&) = delete;
    HttpEngine& operator=(const HttpEngine&) = delete;

    // listenFd: bound and listening; made non-blocking here. Throws std::system_error when the
    // epoll set or the threads cannot be made.
    void start(int listenFd);
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

// Poco::URI's decoding of a request target (exposed for the tests): false for a malformed %-escape.
bool decodeTarget(const std::string& target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace duegate::portal
