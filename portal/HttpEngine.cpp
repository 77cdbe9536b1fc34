#include "portal/HttpEngine.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/URI.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>

namespace duegate::portal {
namespace {

constexpr std::int64_t kNoDeadline = INT64_MAX;
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kChunkLineMax = 1024;    // a chunk-size line with extensions
constexpr std::size_t kMaxTrailerBytes = 16384;
constexpr int kLingerMs = 2000;                // draining what a refused client still sends

std::int64_t nowMs() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
        const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
        if (x != y) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// RFC 9110 token characters (method, header names).
bool isToken(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s) {
        if (c <= 32 || c >= 127) return false;
        if (std::strchr("()<>@,;:\\\"/[]?={}", c) != nullptr) return false;
    }
    return true;
}

// A comma-separated header value (Connection) contains `token`, case-insensitively.
bool hasToken(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        if (iequals(trim(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

// Poco::URI::decode: %XX -> byte; a '%' without two hex digits is malformed.
bool percentDecode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '%') {
            out += c;
            continue;
        }
        if (i + 2 >= in.size()) return false;
        const int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return true;
}

// "Sun, 29 Nov 2026 18:19:03 GMT", formatted at most once a second per thread.
const std::string& httpDate() {
    thread_local std::time_t cachedSecond = 0;
    thread_local std::string cached;
    const std::time_t now = std::time(nullptr);
    if (now != cachedSecond) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        char buf[64];
        const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached.assign(buf, n);
        cachedSecond = now;
    }
    return cached;
}

std::string peerAddress(const sockaddr_storage& ss) {
    char host[INET6_ADDRSTRLEN] = {0};
    if (ss.ss_family == AF_INET) {
        const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
        inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(a.sin_port));
    }
    if (ss.ss_family == AF_INET6) {
        const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
        inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
        return "[" + std::string(host) + "]:" + std::to_string(ntohs(a.sin6_port));
    }
    return "unknown";
}

Response errorResponse(int status, const char* text) {
    Response r = Response::text(status, text);
    r.closeConnection = true;
    return r;
}

enum class Phase { Head, Body, ChunkSize, ChunkData, ChunkEnd, Trailer, Complete };

struct Conn {
    int fd = -1;
    std::string remote;
    std::size_t slot = 0;  // index in the registry
    std::atomic<std::int64_t> deadline{kNoDeadline};

    // Input: bytes not yet consumed start at `pos`.
    std::string in;
    std::size_t pos = 0;

    // The request being read.
    Phase phase = Phase::Head;
    bool sawRequestLine = false;
    std::int64_t requestStart = 0;
    std::size_t fields = 0;
    std::string target;
    std::string version;
    Request req;
    std::size_t bodyLeft = 0;   // Body: bytes still to come; ChunkData: of this chunk
    std::size_t bound = 0;
    std::size_t trailerBytes = 0;
    bool keepAlive = true;
    bool headRequest = false;
    bool continuePending = false;

    // Output: head + body, `sent` bytes of both already written.
    std::string outHead;
    std::string outBody;
    std::size_t sent = 0;
    bool closeAfter = false;
    bool lingerAfter = false;  // drain the client's unread bytes before closing (so our answer is not reset)
    bool lingering = false;

    bool outputPending() const { return sent < outHead.size() + outBody.size(); }

    void resetRequest() {
        phase = Phase::Head;
        sawRequestLine = false;
        requestStart = 0;
        fields = 0;
        target.clear();
        version.clear();
        req = Request{};
        bodyLeft = bound = trailerBytes = 0;
        keepAlive = true;
        headRequest = continuePending = false;
    }
};

enum class Step { NeedMore, Complete, Failed };

}  // namespace

bool decodeTarget(const std::string& target, std::string& path, std::map<std::string, std::string>& query) {
    query.clear();
    if (target.empty() || target.front() != '/') {
        // Absolute-form and other rare targets: Poco::URI itself, as before.
        try {
            Poco::URI uri(target);
            path = uri.getPath();
            for (const auto& [k, v] : uri.getQueryParameters()) query[k] = v;
            return true;
        } catch (const Poco::Exception&) {
            return false;
        }
    }
    const std::string_view t(target);
    const auto end = t.find('#');
    const std::string_view noFragment = t.substr(0, end);
    const auto q = noFragment.find('?');
    if (!percentDecode(noFragment.substr(0, q), path)) return false;
    if (q == std::string_view::npos) return true;
    std::string_view rest = noFragment.substr(q + 1);
    // Poco::URI::getQueryParameters: pairs split on '&', name and value on the first '=', a '+'
    // is a space, then %XX decoded; an empty pair still counts (as name "").
    std::string raw, name, value;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const auto eq = pair.find('=');
        raw.assign(pair.substr(0, eq));
        std::replace(raw.begin(), raw.end(), '+', ' ');
        if (!percentDecode(raw, name)) return false;
        raw.assign(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
        std::replace(raw.begin(), raw.end(), '+', ' ');
        if (!percentDecode(raw, value)) return false;
        query[name] = value;
    }
    return true;
}

struct HttpEngine::Impl {
    HttpEngineOptions opts;
    Handler handler;
    int listenFd = -1;
    int epollFd = -1;
    int wakeFd = -1;
    char listenTag = 0, wakeTag = 0;  // their addresses mark the two non-connection epoll entries
    std::atomic<bool> stopping{false};
    bool running = false;
    // The pool: `slots` threads poll (epoll_wait) and handle inline; the others wait for a slot.
    // A poller that has been inside one event for longer than stallMs is marked detached and its
    // slot handed to a waiting thread, so a handler blocked on the database (or Argon2) never
    // keeps the other connections waiting; the detached thread, once done, waits for a slot again.
    struct Worker {
        std::atomic<std::int64_t> busySinceUs{0};  // 0: not inside an event
        std::atomic<bool> detached{false};
    };
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    std::mutex slotMutex;
    std::condition_variable slotFree;
    unsigned freeSlots = 0;
    std::thread monitor;
    std::mutex monitorMutex;
    std::condition_variable monitorWake;

    std::mutex registryMutex;
    std::vector<Conn*> registry;

    std::string commonBlock;  // the common headers, rendered once

    Impl(HttpEngineOptions o, Handler h) : opts(std::move(o)), handler(std::move(h)) {
        for (const auto& [name, value] : opts.commonHeaders) commonBlock += name + ": " + value + "\r\n";
    }

    // ---- lifetime -------------------------------------------------------------------------------

    void start(int fd) {
        listenFd = fd;
        const int flags = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        epollFd = epoll_create1(EPOLL_CLOEXEC);
        if (epollFd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
        wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wakeFd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
        epoll_event ev{};
        ev.events = EPOLLIN;  // level-triggered: once written, every thread's epoll_wait sees it
        ev.data.ptr = &wakeTag;
        epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &ev);
        ev.events = EPOLLIN | EPOLLONESHOT;
        ev.data.ptr = &listenTag;
        if (epoll_ctl(epollFd, EPOLL_CTL_ADD, listenFd, &ev) != 0)
            throw std::system_error(errno, std::generic_category(), "epoll_ctl listen");
        stopping = false;
        running = true;
        const unsigned count = std::max(1u, opts.threads);
        unsigned pollers = opts.pollers;
        if (pollers == 0) pollers = std::max(2u, std::thread::hardware_concurrency());
        freeSlots = std::min(pollers, count);
        for (unsigned i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>());
        for (unsigned i = 0; i < count; ++i) threads.emplace_back([this, i] { workerLoop(*workers[i]); });
        monitor = std::thread([this] { monitorLoop(); });
    }

    void stop() {
        if (!running) return;
        stopping = true;
        epoll_ctl(epollFd, EPOLL_CTL_DEL, listenFd, nullptr);
        {
            std::lock_guard lock(registryMutex);
            for (Conn* c : registry) ::shutdown(c->fd, SHUT_RDWR);
        }
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto w = ::write(wakeFd, &one, sizeof one);
        {
            std::lock_guard lock(monitorMutex);
            monitorWake.notify_all();
        }
        {
            std::lock_guard lock(slotMutex);
            slotFree.notify_all();
        }
        for (auto& t : threads) t.join();
        threads.clear();
        workers.clear();
        monitor.join();
        for (Conn* c : registry) {
            ::close(c->fd);
            delete c;
        }
        registry.clear();
        ::close(epollFd);
        ::close(wakeFd);
        epollFd = wakeFd = -1;
        running = false;
    }

    // ---- the pool ---------------------------------------------------------------------------------

    static std::int64_t nowUs() {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
    }

    void workerLoop(Worker& me) {
        while (!stopping) {
            {
                std::unique_lock lock(slotMutex);
                slotFree.wait(lock, [&] { return freeSlots > 0 || stopping; });
                if (stopping) return;
                --freeSlots;
            }
            me.detached.store(false);
            pollLoop(me);
        }
    }

    void pollLoop(Worker& me) {
        epoll_event ev{};
        while (!stopping.load(std::memory_order_relaxed)) {
            // One event per call: a thread that takes a connection may block in its handler, so it
            // must not hold other ready connections meanwhile.
            const int n = epoll_wait(epollFd, &ev, 1, -1);
            if (n <= 0) continue;
            if (ev.data.ptr == &wakeTag) continue;
            me.busySinceUs.store(nowUs(), std::memory_order_relaxed);
            if (ev.data.ptr == &listenTag) acceptSome();
            else serve(static_cast<Conn*>(ev.data.ptr));
            me.busySinceUs.store(0, std::memory_order_relaxed);
            if (me.detached.load()) return;  // our slot went to another thread meanwhile
        }
    }

    // Every stallCheckMs: hands the slot of a poller stuck in one event on to a waiting thread;
    // every 250 ms: shuts the connections whose deadline passed.
    void monitorLoop() {
        std::unique_lock lock(monitorMutex);
        std::int64_t nextReap = 0;
        std::int64_t lastBusyUs = 0;
        while (!stopping) {
            // Every stallCheckMs while requests come in; an idle server is looked at every 20 ms
            // only (a handler that blocks on the first request after a quiet second is handed
            // over a little later, instead of 500 wake-ups a second forever).
            const bool quiet = nowUs() - lastBusyUs > 1000000;
            monitorWake.wait_for(lock, std::chrono::milliseconds(quiet ? std::max(20u, opts.stallCheckMs) : opts.stallCheckMs));
            if (stopping) break;
            const auto us = nowUs();
            for (auto& w : workers) {
                const auto since = w->busySinceUs.load(std::memory_order_relaxed);
                if (since != 0) lastBusyUs = us;
                if (since == 0 || us - since < static_cast<std::int64_t>(opts.stallMs) * 1000) continue;
                bool expected = false;
                if (!w->detached.compare_exchange_strong(expected, true)) continue;
                std::lock_guard slot(slotMutex);
                ++freeSlots;
                slotFree.notify_one();
            }
            const auto now = nowMs();
            if (now < nextReap) continue;
            nextReap = now + 250;
            std::lock_guard reg(registryMutex);
            for (Conn* c : registry) {
                // Only parked connections have a deadline; the thread that next owns the connection
                // sees the shut socket and closes it.
                if (c->deadline.load(std::memory_order_relaxed) < now) {
                    ::shutdown(c->fd, SHUT_RDWR);
                    c->deadline.store(kNoDeadline, std::memory_order_relaxed);
                }
            }
        }
    }

    void acceptSome() {
        for (int i = 0; i < 64; ++i) {
            sockaddr_storage ss{};
            socklen_t len = sizeof ss;
            const int fd = accept4(listenFd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                // Out of descriptors: the pending connection stays ready, so pause instead of
                // spinning on the re-armed listener.
                if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(10));
                break;  // EAGAIN: the listener is re-armed below
            }
            const int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto* c = new Conn;
            c->fd = fd;
            c->remote = peerAddress(ss);
            bool admitted = false;
            {
                std::lock_guard lock(registryMutex);
                if (registry.size() < opts.maxConnections && !stopping) {
                    c->slot = registry.size();
                    registry.push_back(c);
                    admitted = true;
                }
            }
            if (!admitted) {
                refuse(fd);
                delete c;
                continue;
            }
            park(c, EPOLLIN, nowMs() + opts.requestTimeoutMs, EPOLL_CTL_ADD);
        }
        if (stopping) return;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLONESHOT;
        ev.data.ptr = &listenTag;
        epoll_ctl(epollFd, EPOLL_CTL_MOD, listenFd, &ev);
    }

    // Beyond maxConnections: a short 503 and close (the client may not have sent its request yet).
    void refuse(int fd) {
        Response r = errorResponse(503, "server busy\n");
        r.headers.emplace_back("Retry-After", "1");
        std::string head;
        renderHead(head, r, true, false);
        head += r.body;
        [[maybe_unused]] const auto n = ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
        ::close(fd);
    }

    // Hands the connection back to the epoll set; after this the calling thread must not touch it.
    void park(Conn* c, std::uint32_t events, std::int64_t deadline, int op = EPOLL_CTL_MOD) {
        c->deadline.store(deadline, std::memory_order_relaxed);
        epoll_event ev{};
        ev.events = events | EPOLLONESHOT | EPOLLRDHUP;
        ev.data.ptr = c;
        if (epoll_ctl(epollFd, op, c->fd, &ev) != 0) closeConn(c);
    }

    void closeConn(Conn* c) {
        {
            std::lock_guard lock(registryMutex);
            Conn* last = registry.back();
            registry[c->slot] = last;
            last->slot = c->slot;
            registry.pop_back();
        }
        ::close(c->fd);
        delete c;
    }

    // ---- one connection, owned by the calling thread until parked or closed ----------------------

    void serve(Conn* c) {
        c->deadline.store(kNoDeadline, std::memory_order_relaxed);
        if (c->lingering) return drain(c);
        if (c->outputPending()) {
            if (!flush(c)) return;  // parked for writing, or closed
            if (finishResponse(c)) return;
        }
        bool mayRead = true;
        char* buffer = readBuffer();
        for (;;) {
            const Step step = advance(c);
            if (step != Step::NeedMore) {
                if (step == Step::Complete) respond(c);
                if (!flush(c)) return;
                if (finishResponse(c)) return;
                // Keep-alive: parse what is already buffered (pipelining); read only when woken again.
                mayRead = false;
                continue;
            }
            if (c->continuePending) {
                c->continuePending = false;
                static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                if (::send(c->fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL) != sizeof kContinue - 1)
                    return closeConn(c);
            }
            if (!mayRead) return parkForInput(c);
            const ssize_t n = ::recv(c->fd, buffer, kReadChunk, 0);
            if (n > 0) {
                if (c->phase == Phase::Head && c->requestStart == 0) c->requestStart = nowMs();
                c->in.append(buffer, static_cast<std::size_t>(n));
                // A short read almost always drained the socket: wait for the next readiness
                // instead of a read that would answer EAGAIN.
                if (static_cast<std::size_t>(n) < kReadChunk) mayRead = false;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return parkForInput(c);
            return closeConn(c);  // EOF or error
        }
    }

    static char* readBuffer() {
        thread_local std::unique_ptr<char[]> buffer(new char[kReadChunk]);
        return buffer.get();
    }

    void parkForInput(Conn* c) {
        if (stopping) return closeConn(c);
        std::int64_t deadline;
        if (c->phase == Phase::Head && c->requestStart == 0 && c->pos == c->in.size()) {
            deadline = nowMs() + opts.idleTimeoutMs;  // between requests: not a byte of the next yet
        } else if (c->phase == Phase::Head) {
            if (c->requestStart == 0) c->requestStart = nowMs();
            deadline = c->requestStart + opts.requestTimeoutMs;  // the whole header, however trickled
        } else {
            deadline = nowMs() + opts.requestTimeoutMs;  // a body may pause this long
        }
        compact(c);
        park(c, EPOLLIN, deadline);
    }

    // Moves up to bodyLeft buffered bytes into the request body (a plain body or one chunk's data);
    // true when bodyLeft reached 0, else the buffer is compacted for the next read.
    bool takeBody(Conn* c) {
        const std::size_t take = std::min(c->bodyLeft, c->in.size() - c->pos);
        c->req.body.append(c->in, c->pos, take);
        c->pos += take;
        c->bodyLeft -= take;
        if (c->bodyLeft == 0) return true;
        compact(c);
        return false;
    }

    void compact(Conn* c) {
        if (c->pos == 0) return;
        if (c->pos >= c->in.size()) {
            c->in.clear();
            if (c->in.capacity() > 4 * kReadChunk) std::string().swap(c->in);
        } else {
            c->in.erase(0, c->pos);
        }
        c->pos = 0;
    }

    // After a lingering close was chosen: read and drop what the client still sends, then close.
    void drain(Conn* c) {
        char* buffer = readBuffer();
        for (;;) {
            const ssize_t n = ::recv(c->fd, buffer, kReadChunk, 0);
            if (n > 0) continue;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !stopping) {
                // The deadline set when lingering began still holds.
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLONESHOT | EPOLLRDHUP;
                ev.data.ptr = c;
                c->deadline.store(c->requestStart, std::memory_order_relaxed);
                if (epoll_ctl(epollFd, EPOLL_CTL_MOD, c->fd, &ev) != 0) closeConn(c);
                return;
            }
            return closeConn(c);
        }
    }

    // The answer was fully written: true when the connection was closed or handed on.
    bool finishResponse(Conn* c) {
        c->outHead.clear();
        c->outBody.clear();
        if (c->outBody.capacity() > 4 * kReadChunk) std::string().swap(c->outBody);
        c->sent = 0;
        if (!c->closeAfter && !stopping) return false;
        if (c->lingerAfter && !stopping) {
            ::shutdown(c->fd, SHUT_WR);
            c->lingering = true;
            c->requestStart = nowMs() + kLingerMs;  // reused as the linger deadline
            c->in.clear();
            c->pos = 0;
            drain(c);
            return true;
        }
        closeConn(c);
        return true;
    }

    // Writes what is pending. true: all written; false: parked for EPOLLOUT or closed.
    bool flush(Conn* c) {
        for (;;) {
            const std::size_t total = c->outHead.size() + c->outBody.size();
            if (c->sent >= total) return true;
            iovec iov[2];
            int count = 0;
            if (c->sent < c->outHead.size()) {
                iov[count++] = {c->outHead.data() + c->sent, c->outHead.size() - c->sent};
                if (!c->outBody.empty()) iov[count++] = {c->outBody.data(), c->outBody.size()};
            } else {
                const std::size_t off = c->sent - c->outHead.size();
                iov[count++] = {c->outBody.data() + off, c->outBody.size() - off};
            }
            msghdr msg{};
            msg.msg_iov = iov;
            msg.msg_iovlen = static_cast<std::size_t>(count);
            const ssize_t n = ::sendmsg(c->fd, &msg, MSG_NOSIGNAL);
            if (n > 0) {
                c->sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !stopping) {
                park(c, EPOLLOUT, nowMs() + opts.writeTimeoutMs);
                return false;
            }
            closeConn(c);
            return false;
        }
    }

    // ---- parsing ------------------------------------------------------------------------------------

    // Queues an error answer for a request that cannot be read further; the connection closes
    // after it, draining what the client still sends.
    Step fail(Conn* c, int status, const char* text) {
        queueResponse(c, errorResponse(status, text));
        c->lingerAfter = true;
        c->pos = c->in.size();
        c->phase = Phase::Complete;
        return Step::Failed;
    }

    // Consumes buffered input for the current request. Complete: c->req is ready for the handler.
    Step advance(Conn* c) {
        for (;;) {
            switch (c->phase) {
            case Phase::Complete:
                return Step::NeedMore;  // not reached: respond() resets the phase
            case Phase::Head: {
                const auto nl = c->in.find('\n', c->pos);
                if (nl == std::string::npos) {
                    const std::size_t partial = c->in.size() - c->pos;
                    if (!c->sawRequestLine && partial > opts.maxUriBytes + 64)
                        return fail(c, 414, "request line too long\n");
                    if (c->sawRequestLine && partial > opts.maxNameBytes + opts.maxValueBytes + 8)
                        return fail(c, 400, "header field too long\n");
                    return Step::NeedMore;
                }
                std::string_view line(c->in.data() + c->pos, nl - c->pos);
                c->pos = nl + 1;
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                if (!c->sawRequestLine) {
                    if (line.empty()) continue;  // stray CRLF between requests (RFC 9112 2.2)
                    if (auto s = requestLine(c, line)) return *s;
                    continue;
                }
                if (line.empty()) {
                    if (auto s = headComplete(c)) return *s;
                    continue;
                }
                if (line.front() == ' ' || line.front() == '\t') return fail(c, 400, "bad request\n");  // obs-fold
                const auto colon = line.find(':');
                if (colon == std::string_view::npos) return fail(c, 400, "bad request\n");
                const std::string_view name = line.substr(0, colon);
                const std::string_view value = trim(line.substr(colon + 1));
                if (name.size() > opts.maxNameBytes || value.size() > opts.maxValueBytes || !isToken(name))
                    return fail(c, 400, "bad header field\n");
                if (++c->fields > opts.maxHeaderFields) return fail(c, 400, "too many header fields\n");
                c->req.headers.emplace_back(std::string(name), std::string(value));
                continue;
            }
            case Phase::Body: {
                if (!takeBody(c)) return Step::NeedMore;
                c->phase = Phase::Complete;
                return Step::Complete;
            }
            case Phase::ChunkSize: {
                const auto nl = c->in.find('\n', c->pos);
                if (nl == std::string::npos) {
                    if (c->in.size() - c->pos > kChunkLineMax) return fail(c, 400, "bad chunk\n");
                    return Step::NeedMore;
                }
                std::string_view line(c->in.data() + c->pos, nl - c->pos);
                c->pos = nl + 1;
                line = trim(line.substr(0, line.find(';')));
                if (line.empty() || line.size() > 15) return fail(c, 400, "bad chunk\n");
                std::size_t size = 0;
                for (char ch : line) {
                    const int d = hexValue(ch);
                    if (d < 0) return fail(c, 400, "bad chunk\n");
                    size = size * 16 + static_cast<std::size_t>(d);
                }
                if (size == 0) {
                    c->phase = Phase::Trailer;
                    continue;
                }
                if (c->req.body.size() + size > c->bound) return fail(c, 413, "request body too large\n");
                c->bodyLeft = size;
                c->phase = Phase::ChunkData;
                continue;
            }
            case Phase::ChunkData: {
                if (!takeBody(c)) return Step::NeedMore;
                c->phase = Phase::ChunkEnd;
                continue;
            }
            case Phase::ChunkEnd: {
                const std::size_t avail = c->in.size() - c->pos;
                if (avail >= 1 && c->in[c->pos] == '\n') {
                    c->pos += 1;
                } else if (avail >= 2 && c->in.compare(c->pos, 2, "\r\n") == 0) {
                    c->pos += 2;
                } else if (avail >= 2 || (avail == 1 && c->in[c->pos] != '\r')) {
                    return fail(c, 400, "bad chunk\n");
                } else {
                    return Step::NeedMore;
                }
                c->phase = Phase::ChunkSize;
                continue;
            }
            case Phase::Trailer: {
                const auto nl = c->in.find('\n', c->pos);
                if (nl == std::string::npos) {
                    if (c->trailerBytes + (c->in.size() - c->pos) > kMaxTrailerBytes) return fail(c, 400, "bad chunk\n");
                    return Step::NeedMore;
                }
                const std::size_t len = nl - c->pos;
                const bool blank = len == 0 || (len == 1 && c->in[c->pos] == '\r');
                c->trailerBytes += len + 1;
                c->pos = nl + 1;
                if (c->trailerBytes > kMaxTrailerBytes) return fail(c, 400, "bad chunk\n");
                if (!blank) continue;  // trailer fields are read and dropped
                c->phase = Phase::Complete;
                return Step::Complete;
            }
            }
        }
    }

    std::optional<Step> requestLine(Conn* c, std::string_view line) {
        c->sawRequestLine = true;
        if (c->requestStart == 0) c->requestStart = nowMs();
        const auto sp1 = line.find(' ');
        if (sp1 == std::string_view::npos) return fail(c, 400, "bad request\n");
        const std::string_view method = line.substr(0, sp1);
        std::string_view rest = line.substr(sp1);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        const auto sp2 = rest.find(' ');
        if (sp2 == std::string_view::npos) return fail(c, 400, "bad request\n");
        const std::string_view target = rest.substr(0, sp2);
        const std::string_view version = trim(rest.substr(sp2));
        if (method.size() > 32 || !isToken(method)) return fail(c, 400, "bad request\n");
        if (target.size() > opts.maxUriBytes) return fail(c, 414, "request line too long\n");
        if (version != "HTTP/1.1" && version != "HTTP/1.0") return fail(c, 400, "bad request\n");
        c->req.method.assign(method);
        c->target.assign(target);
        c->version.assign(version);
        c->req.headers.reserve(16);
        return std::nullopt;
    }

    // The blank line after the fields: decide about the body.
    std::optional<Step> headComplete(Conn* c) {
        Request& req = c->req;
        c->headRequest = req.method == "HEAD";
        const bool http11 = c->version == "HTTP/1.1";
        std::string_view connection, transferEncoding, expect;
        const std::string* contentLength = nullptr;
        for (const auto& [name, value] : req.headers) {
            if (iequals(name, "Connection")) connection = value;
            else if (iequals(name, "Transfer-Encoding")) transferEncoding = value;
            else if (iequals(name, "Expect")) expect = value;
            else if (iequals(name, "Content-Length")) {
                if (contentLength && *contentLength != value) return fail(c, 400, "bad request\n");
                contentLength = &value;
            }
        }
        c->keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        if (!decodeTarget(c->target, req.path, req.query)) return fail(c, 400, "bad request\n");
        c->bound = opts.bodyLimit ? opts.bodyLimit(req.method, req.path) : opts.maxBodyBytes;

        const bool chunked = !transferEncoding.empty();
        if (chunked && !iequals(trim(transferEncoding), "chunked")) return fail(c, 400, "bad transfer encoding\n");
        if (chunked && contentLength) c->keepAlive = false;  // both: chunked wins, and no reuse (RFC 9112 6.3)
        std::size_t length = 0;
        if (!chunked && contentLength) {
            if (contentLength->empty() || contentLength->size() > 18) return fail(c, 400, "bad content length\n");
            for (char ch : *contentLength) {
                if (ch < '0' || ch > '9') return fail(c, 400, "bad content length\n");
                length = length * 10 + static_cast<std::size_t>(ch - '0');
            }
            if (length > c->bound) return fail(c, 413, "request body too large\n");
        }
        if (!chunked && !contentLength &&
            (req.method == "POST" || req.method == "PUT" || req.method == "PATCH"))
            return fail(c, 411, "length required\n");
        const bool hasBody = chunked || length > 0;
        if (hasBody && http11 && iequals(trim(expect), "100-continue")) {
            // Only when the body is not already here (a client that did not wait for it).
            c->continuePending = c->pos >= c->in.size();
        }
        if (chunked) {
            c->phase = Phase::ChunkSize;
        } else if (length > 0) {
            c->bodyLeft = length;
            if (length <= c->bound) req.body.reserve(length);
            c->phase = Phase::Body;
        } else {
            c->phase = Phase::Complete;
            return Step::Complete;
        }
        return std::nullopt;
    }

    // ---- answering ----------------------------------------------------------------------------------

    void respond(Conn* c) {
        Request& req = c->req;
        for (const auto& [name, value] : req.headers) {
            if (iequals(name, "Cookie")) {
                req.cookies = parseCookieHeader(value);
                break;
            }
        }
        req.remoteAddress = c->remote;
        Response response;
        try {
            response = handler(req);
        } catch (...) {
            response = Response::text(500, "internal error\n");
        }
        if (c->in.size() - c->pos == 0) compact(c);
        queueResponse(c, std::move(response));
    }

    void queueResponse(Conn* c, Response&& r) {
        const bool close = r.closeConnection || !c->keepAlive || stopping;
        const bool http10KeepAlive = !close && c->version == "HTTP/1.0";
        renderHead(c->outHead, r, close, http10KeepAlive);
        if (!c->headRequest) c->outBody = std::move(r.body);
        c->sent = 0;
        c->closeAfter = close;
        c->lingerAfter = r.closeConnection && c->keepAlive;  // we end it, the client may still send
        c->resetRequest();
    }

    void renderHead(std::string& h, const Response& r, bool close, bool http10KeepAlive) const {
        h.clear();
        h.reserve(commonBlock.size() + 256 + r.headers.size() * 64);
        h += "HTTP/1.1 ";
        h += std::to_string(r.status);
        h += ' ';
        h += Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
        h += "\r\nDate: ";
        h += httpDate();
        h += "\r\nContent-Type: ";
        h += r.contentType;
        h += "\r\nContent-Length: ";
        h += std::to_string(r.body.size());
        h += "\r\n";
        bool replaced = false;
        for (const auto& [name, value] : r.headers)
            for (const auto& rep : opts.replaceableHeaders)
                if (name == rep) replaced = true;
        if (!replaced) {
            h += commonBlock;
        } else {
            for (const auto& [name, value] : opts.commonHeaders) {
                bool overridden = false;
                for (const auto& [n, v] : r.headers)
                    if (n == name && std::find(opts.replaceableHeaders.begin(), opts.replaceableHeaders.end(), n) !=
                                         opts.replaceableHeaders.end())
                        overridden = true;
                if (!overridden) h += name + ": " + value + "\r\n";
            }
        }
        for (const auto& [name, value] : r.headers) {
            h += name;
            h += ": ";
            h += value;
            h += "\r\n";
        }
        if (close) h += "Connection: close\r\n";
        else if (http10KeepAlive) h += "Connection: keep-alive\r\n";
        h += "\r\n";
    }
};

HttpEngine::HttpEngine(HttpEngineOptions options, Handler handler)
    : _impl(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpEngine::~HttpEngine() {
    try {
        stop();
    } catch (...) {
    }
}

void HttpEngine::start(int listenFd) {
    if (_impl->running) return;
    _impl->start(listenFd);
}

void HttpEngine::stop() { _impl->stop(); }

}  // namespace duegate::portal
