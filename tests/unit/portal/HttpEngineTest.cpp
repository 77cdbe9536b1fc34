// The portal's HTTP engine (portal/HttpEngine.h) on real loopback sockets, without the routes:
// pipelining, partial reads, the bounds, HEAD, chunked bodies, 100-continue, timeouts, the
// connection bound, stop() with open connections, and a slow reader that must not hold the pool.
#include "portal/HttpEngine.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

using namespace duegate::portal;

namespace {

int listenLoopback(unsigned short& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 128) != 0)
        throw std::runtime_error("cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    return fd;
}

Response echo(Request& req) {
    if (req.path == "/throw") throw std::runtime_error("boom");
    if (req.path == "/sleep") std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (req.path == "/big") return Response::text(200, std::string(16 << 20, 'x'));
    if (req.path == "/close") {
        Response r = Response::text(200, "bye");
        r.closeConnection = true;
        return r;
    }
    if (req.path == "/frame") {
        Response r = Response::text(200, "framed");
        r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
        r.headers.emplace_back("X-Extra", "1");
        return r;
    }
    std::string q;
    for (const auto& [k, v] : req.query) q += k + "=" + v + ";";
    return Response::text(200, req.method + " " + req.path + " q=" + q + " body=" + req.body);
}

struct Server {
    explicit Server(HttpEngineOptions o = {}, HttpEngine::Handler h = echo) {
        listenFd = listenLoopback(port);
        if (o.commonHeaders.empty()) {
            o.commonHeaders = {{"X-Frame-Options", "DENY"}, {"X-Content-Type-Options", "nosniff"}};
            o.replaceableHeaders = {"X-Frame-Options"};
        }
        engine = std::make_unique<HttpEngine>(std::move(o), std::move(h));
        engine->start(listenFd);
    }
    ~Server() {
        engine->stop();
        ::close(listenFd);
    }
    int listenFd = -1;
    unsigned short port = 0;
    std::unique_ptr<HttpEngine> engine;
};

struct Reply {
    int status = 0;
    std::string head;  // status line and fields
    std::string body;
    bool has(const std::string& field) const { return head.find("\r\n" + field + "\r\n") != std::string::npos; }
};

struct Client {
    explicit Client(unsigned short port, int timeoutMs = 5000) {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(port);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
    }
    ~Client() { ::close(fd); }
    void send(const std::string& s) const {
        std::size_t off = 0;
        while (off < s.size()) {
            const auto n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send");
            off += static_cast<std::size_t>(n);
        }
    }
    // Reads bytes into `buf`; false on EOF, error or timeout.
    bool fill() {
        char b[65536];
        const auto n = ::recv(fd, b, sizeof b, 0);
        if (n <= 0) return false;
        buf.append(b, static_cast<std::size_t>(n));
        return true;
    }
    // One response; status 0 when the connection ended first.
    Reply read(bool headOnly = false) {
        Reply r;
        std::size_t end;
        while ((end = buf.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return r;
        r.head = buf.substr(0, end + 2);
        buf.erase(0, end + 4);
        r.status = std::stoi(r.head.substr(9, 3));
        if (r.status == 100) return r;
        std::size_t length = 0;
        const auto cl = r.head.find("Content-Length: ");
        if (cl != std::string::npos) length = std::stoul(r.head.substr(cl + 16));
        if (headOnly) length = 0;
        while (buf.size() < length)
            if (!fill()) return Reply{};
        r.body = buf.substr(0, length);
        buf.erase(0, length);
        return r;
    }
    // True when the server closed the connection (EOF or reset) within the receive timeout.
    bool closedByServer() {
        char b[4096];
        for (;;) {
            const auto n = ::recv(fd, b, sizeof b, 0);
            if (n == 0) return true;
            if (n < 0) return errno == ECONNRESET;
        }
    }
    int fd = -1;
    std::string buf;
};

const std::string kGet = "GET /a?x=1 HTTP/1.1\r\nHost: t\r\n\r\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(http_engine)

BOOST_AUTO_TEST_CASE(keep_alive_and_pipelined_requests_are_answered_in_order_on_one_connection) {
    Server s;
    Client c(s.port);
    c.send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nPOST /two HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
           "GET /three?a=b+c&a=d%21 HTTP/1.1\r\nHost: t\r\n\r\n");
    const Reply r1 = c.read(), r2 = c.read(), r3 = c.read();
    BOOST_TEST(r1.body == "GET /one q= body=");
    BOOST_TEST(r2.body == "POST /two q= body=abc");
    BOOST_TEST(r3.body == "GET /three q=a=d!; body=");  // the last parameter wins, as before
    BOOST_TEST(r1.has("X-Frame-Options: DENY"));
    BOOST_TEST(r1.has("Content-Type: text/plain; charset=utf-8"));
    BOOST_TEST(r1.head.find("\r\nDate: ") != std::string::npos);
    BOOST_TEST(!r1.has("Connection: close"));
    for (int i = 0; i < 50; ++i) {  // the connection stays usable (no request limit)
        c.send(kGet);
        BOOST_TEST(c.read().status == 200);
    }
}

BOOST_AUTO_TEST_CASE(a_request_arriving_byte_by_byte_is_read_whole) {
    Server s;
    Client c(s.port);
    const std::string req = "POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    for (char ch : req) {
        c.send(std::string(1, ch));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    BOOST_TEST(c.read().body == "POST /slow q= body=hello");
}

BOOST_AUTO_TEST_CASE(a_route_replaces_a_replaceable_common_header_and_adds_the_others) {
    Server s;
    Client c(s.port);
    c.send("GET /frame HTTP/1.1\r\nHost: t\r\n\r\n");
    const Reply r = c.read();
    BOOST_TEST(r.has("X-Frame-Options: SAMEORIGIN"));
    BOOST_TEST(!r.has("X-Frame-Options: DENY"));
    BOOST_TEST(r.has("X-Content-Type-Options: nosniff"));
    BOOST_TEST(r.has("X-Extra: 1"));
}

BOOST_AUTO_TEST_CASE(a_body_over_the_bound_is_refused_with_413_without_being_read) {
    HttpEngineOptions o;
    o.maxBodyBytes = 10;
    o.bodyLimit = [](const std::string&, const std::string& path) -> std::size_t { return path == "/up" ? 20 : 10; };
    Server s(o);
    {
        Client c(s.port);
        c.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789");
        BOOST_TEST(c.read().status == 200);
        c.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n01234567890123456789");
        BOOST_TEST(c.read().status == 200);  // the per-route bound
        // One byte over, the body never sent: the answer comes at once and the connection closes.
        c.send("POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n");
        const Reply r = c.read();
        BOOST_TEST(r.status == 413);
        BOOST_TEST(r.has("Connection: close"));
        BOOST_TEST(c.closedByServer());
    }
    {
        Client c(s.port);  // chunked: refused as soon as the chunks pass the bound
        c.send("POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n");
        BOOST_TEST(c.read().status == 413);
    }
}

BOOST_AUTO_TEST_CASE(a_chunked_body_is_decoded) {
    Server s;
    Client c(s.port);
    c.send("POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n");
    BOOST_TEST(c.read().body == "POST /c q= body=hello world");
    c.send(kGet);  // and the connection goes on
    BOOST_TEST(c.read().status == 200);
}

BOOST_AUTO_TEST_CASE(a_post_without_a_length_is_411_and_malformed_requests_are_400) {
    Server s;
    auto statusOf = [&](const std::string& raw) {
        Client c(s.port);
        c.send(raw);
        return c.read().status;
    };
    BOOST_TEST(statusOf("POST /x HTTP/1.1\r\nHost: t\r\n\r\n") == 411);
    BOOST_TEST(statusOf("PUT /x HTTP/1.1\r\nHost: t\r\n\r\n") == 411);
    BOOST_TEST(statusOf("GET /x HTTP/1.1\r\nHost: t\r\n\r\n") == 200);  // GET needs no length
    BOOST_TEST(statusOf("garbage\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /x HTTP/2.0\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /x HTTP/1.1\r\nno colon here\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /x HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n") == 400);
    BOOST_TEST(statusOf("POST /x HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") == 400);
    BOOST_TEST(statusOf("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /bad%zzescape HTTP/1.1\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /x?a=%4 HTTP/1.1\r\n\r\n") == 400);
    BOOST_TEST(statusOf("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n") == 414);
}

BOOST_AUTO_TEST_CASE(header_bounds_are_100_fields_256_byte_names_and_8192_byte_values) {
    Server s;
    auto statusWith = [&](const std::string& fields) {
        Client c(s.port);
        c.send("GET /x HTTP/1.1\r\n" + fields + "\r\n");
        return c.read().status;
    };
    std::string hundred, hundredOne;
    for (int i = 0; i < 100; ++i) hundred += "X-F" + std::to_string(i) + ": 1\r\n";
    hundredOne = hundred + "X-Last: 1\r\n";
    BOOST_TEST(statusWith(hundred) == 200);
    BOOST_TEST(statusWith(hundredOne) == 400);
    BOOST_TEST(statusWith(std::string(256, 'n') + ": 1\r\n") == 200);
    BOOST_TEST(statusWith(std::string(257, 'n') + ": 1\r\n") == 400);
    BOOST_TEST(statusWith("X-V: " + std::string(8192, 'v') + "\r\n") == 200);
    BOOST_TEST(statusWith("X-V: " + std::string(8193, 'v') + "\r\n") == 400);
    // A field that never ends is refused without waiting for its end.
    Client c(s.port);
    c.send("GET /x HTTP/1.1\r\nX-V: " + std::string(20000, 'v'));
    BOOST_TEST(c.read().status == 400);
}

BOOST_AUTO_TEST_CASE(head_gets_the_headers_only_and_http10_closes_unless_asked) {
    Server s;
    {
        Client c(s.port);
        c.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n");
        const Reply r = c.read(true);
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.has("Content-Length: 16"));  // the length of "HEAD /h q= body="
        c.send(kGet);  // no body bytes were sent: the next answer starts right here
        BOOST_TEST(c.read().body == "GET /a q=x=1; body=");
    }
    {
        Client c(s.port);
        c.send("GET /x HTTP/1.0\r\n\r\n");
        BOOST_TEST(c.read().has("Connection: close"));
        BOOST_TEST(c.closedByServer());
    }
    {
        Client c(s.port);
        c.send("GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        BOOST_TEST(c.read().has("Connection: keep-alive"));
        c.send("GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        BOOST_TEST(c.read().body == "GET /y q= body=");
    }
    {
        Client c(s.port);
        c.send("GET /x HTTP/1.1\r\nConnection: close\r\n\r\n");
        BOOST_TEST(c.read().has("Connection: close"));
        BOOST_TEST(c.closedByServer());
    }
    {
        Client c(s.port);
        c.send("GET /close HTTP/1.1\r\n\r\n");  // Response::closeConnection
        BOOST_TEST(c.read().has("Connection: close"));
        BOOST_TEST(c.closedByServer());
    }
}

BOOST_AUTO_TEST_CASE(expect_100_continue_is_answered_before_the_body_is_sent) {
    HttpEngineOptions o;
    o.maxBodyBytes = 100;
    Server s(o);
    {
        Client c(s.port);
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        BOOST_TEST(c.read().status == 100);
        c.send("data");
        BOOST_TEST(c.read().body == "POST /e q= body=data");
    }
    {
        Client c(s.port);  // over the bound: 413 instead of 100, the body is never asked for
        c.send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n");
        BOOST_TEST(c.read().status == 413);
    }
}

BOOST_AUTO_TEST_CASE(a_throwing_handler_gives_500_and_the_server_goes_on) {
    Server s;
    Client c(s.port);
    c.send("GET /throw HTTP/1.1\r\n\r\n");
    BOOST_TEST(c.read().status == 500);
    c.send(kGet);
    BOOST_TEST(c.read().status == 200);
}

BOOST_AUTO_TEST_CASE(slow_and_idle_clients_are_timed_out) {
    HttpEngineOptions o;
    o.requestTimeoutMs = 400;
    o.idleTimeoutMs = 300;
    Server s(o);
    Client idle(s.port), trickle(s.port), between(s.port);
    between.send(kGet);
    BOOST_TEST(between.read().status == 200);
    const auto t0 = std::chrono::steady_clock::now();
    // A header trickled a byte every 100 ms never completes: the 400 ms are counted from its first byte.
    std::atomic<bool> done{false};
    std::thread t([&] {
        const std::string part = "GET /x HTTP/1.1\r\nX-Slow: ";
        for (std::size_t i = 0; !done && i < 100; ++i) {
            ::send(trickle.fd, i < part.size() ? &part[i] : "a", 1, MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    // Whole header lines every 100 ms do not extend it either.
    Client lines(s.port);
    std::thread l([&] {
        lines.send("GET /x HTTP/1.1\r\n");
        for (int i = 0; !done && i < 100; ++i) {
            ::send(lines.fd, "X-Line: 1\r\n", 11, MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    BOOST_TEST(trickle.closedByServer());
    BOOST_TEST(lines.closedByServer());
    done = true;
    t.join();
    l.join();
    BOOST_TEST(idle.closedByServer());
    BOOST_TEST(between.closedByServer());
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(took.count() < 2500);
}

BOOST_AUTO_TEST_CASE(connections_beyond_the_bound_get_503) {
    HttpEngineOptions o;
    o.maxConnections = 2;
    Server s(o);
    Client a(s.port), b(s.port);
    a.send(kGet);
    BOOST_TEST(a.read().status == 200);
    b.send(kGet);
    BOOST_TEST(b.read().status == 200);
    Client c(s.port);
    const Reply r = c.read();
    BOOST_TEST(r.status == 503);
    BOOST_TEST(r.has("Connection: close"));
    a.send(kGet);  // the admitted ones are still served
    BOOST_TEST(a.read().status == 200);
}

BOOST_AUTO_TEST_CASE(a_slow_reader_of_a_large_answer_holds_no_thread) {
    HttpEngineOptions o;
    o.threads = 1;  // one thread: if the big answer held it, the second client would time out
    Server s(o);
    Client reader(s.port);
    reader.send("GET /big HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Client other(s.port, 2000);
    other.send(kGet);
    BOOST_TEST(other.read().status == 200);
    const Reply big = reader.read();  // and the big answer still arrives whole
    BOOST_TEST(big.body.size() == std::size_t(16 << 20));
}

BOOST_AUTO_TEST_CASE(a_handler_that_blocks_hands_the_polling_on_so_other_connections_go_on) {
    HttpEngineOptions o;
    o.threads = 4;
    o.pollers = 1;  // the one poller runs the sleeping handler inline
    Server s(o);
    Client sleeper(s.port), other(s.port);
    sleeper.send("GET /sleep HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const auto t0 = std::chrono::steady_clock::now();
    other.send(kGet);
    BOOST_TEST(other.read().status == 200);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(took.count() < 150);  // not the 270 ms the sleeper still has to go
    BOOST_TEST(sleeper.read().status == 200);
    for (int i = 0; i < 20; ++i) {  // and afterwards the pool is back to one poller, still serving
        other.send(kGet);
        BOOST_TEST(other.read().status == 200);
    }
}

BOOST_AUTO_TEST_CASE(stop_with_open_connections_and_a_running_handler_returns_and_closes_them) {
    auto s = std::make_unique<Server>();
    Client idle(s->port), partial(s->port), busy(s->port);
    idle.send(kGet);
    BOOST_TEST(idle.read().status == 200);
    partial.send("GET /x HTTP/1.1\r\n");
    busy.send("GET /sleep HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto t0 = std::chrono::steady_clock::now();
    s->engine->stop();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(took.count() < 2000);
    BOOST_TEST(idle.closedByServer());
    BOOST_TEST(partial.closedByServer());
    BOOST_TEST(busy.closedByServer());
    s->engine->stop();  // twice is harmless
}

BOOST_AUTO_TEST_CASE(targets_decode_as_poco_uri_decodes_them) {
    for (const std::string target :
         {"/", "/a/b", "/a%20b/c", "/d/tok.en-_x", "/?q=peeters+1234", "/?q=a%2Bb&x=&y", "/?a=1&a=2", "/?&&a=1",
          "/p%2Fq?z=%7E#frag", "/?%C3%A9t%C3%A9=%C3%A9", "/x?=v", "/x?k==v", "http://host:8080/abs?x=1",
          "//double/slash?x=1"}) {
        BOOST_TEST_CONTEXT("target " << target) {
            std::string path;
            std::map<std::string, std::string> query;
            BOOST_TEST(decodeTarget(target, path, query));
            Poco::URI uri(target);
            BOOST_TEST(path == uri.getPath());
            std::map<std::string, std::string> expected;
            for (const auto& [k, v] : uri.getQueryParameters()) expected[k] = v;
            BOOST_TEST((query == expected));
        }
    }
    for (const std::string bad : {"/%", "/%4", "/%G0", "/?a=%zz", "/?%=1"}) {
        std::string path;
        std::map<std::string, std::string> query;
        BOOST_TEST(!decodeTarget(bad, path, query), bad);
        bool pocoThrows = false;
        try {
            Poco::URI u(bad);
            (void)u.getQueryParameters();
        } catch (const Poco::Exception&) {
            pocoThrows = true;
        }
        BOOST_TEST(pocoThrows, bad);
    }
}

BOOST_AUTO_TEST_SUITE_END()
