// SmtpServer against real clients on loopback: Python's smtplib (a real, independent SMTP/LMTP
// client) and scripted raw sockets for what smtplib will not do (pipelining, over-long lines).
#include "gateway/inbound/SmtpServer.h"
#include "tests/unit/inbound/FakeMailSink.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>

using namespace duegate::inbound;
using duegate::inbound::test::FakeMailSink;

namespace {

SmtpServerOptions loopback() {
    SmtpServerOptions o;
    o.listen = "127.0.0.1:0";
    o.hostname = "mx.test";
    o.pollMilliseconds = 50;
    return o;
}

// Runs /usr/bin/python3 with a script on stdin-free -c; returns exit status and stdout+stderr.
std::pair<int, std::string> python(const std::string& script) {
    std::string path = "/tmp/duegate_smtp_client_" + std::to_string(::getpid()) + ".py";
    {
        FILE* f = std::fopen(path.c_str(), "w");
        BOOST_TEST_REQUIRE(f != nullptr);
        std::fputs(script.c_str(), f);
        std::fclose(f);
    }
    std::string cmd = "/usr/bin/python3 " + path + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    BOOST_TEST_REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = ::pclose(p);
    std::remove(path.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A scripted raw client: sends bytes, reads until the server has said `lines` reply lines.
struct RawClient {
    Poco::Net::StreamSocket s;
    explicit RawClient(std::uint16_t port) : s(Poco::Net::SocketAddress("127.0.0.1", port)) {
        s.setReceiveTimeout(Poco::Timespan(5, 0));
    }
    void send(const std::string& bytes) { s.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }
    std::string readLines(int lines) {
        std::string got;
        char c;
        while (lines > 0 && s.receiveBytes(&c, 1) == 1) {
            got += c;
            // count only final reply lines ("250 x", not "250-x")
            if (c == '\n') {
                auto start = got.rfind('\n', got.size() - 2);
                start = start == std::string::npos ? 0 : start + 1;
                if (got.size() - start > 3 && got[start + 3] == ' ') --lines;
            }
        }
        return got;
    }
    std::string readToEnd() {
        std::string got;
        char buf[1024];
        int n;
        while ((n = s.receiveBytes(buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
        return got;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(smtp_server)

BOOST_AUTO_TEST_CASE(a_second_server_on_a_port_in_use_fails_instead_of_sharing_it) {
    FakeMailSink sink;
    SmtpServer first(sink, loopback());
    auto o = loopback();
    o.listen = "127.0.0.1:" + std::to_string(first.port());
    BOOST_CHECK_THROW(SmtpServer(sink, o), Poco::Exception);
}

BOOST_AUTO_TEST_CASE(python_smtplib_delivers_a_mail_and_the_sink_gets_its_exact_bytes) {
    FakeMailSink sink;
    SmtpServer server(sink, loopback());
    server.start();
    auto [rc, out] = python(
        "import smtplib\n"
        "msg = b'From: a@example.com\\r\\nSubject: invoice\\r\\n\\r\\nline one\\r\\n.starts with a dot\\r\\n\\xc3\\xa9t\\xc3\\xa9\\r\\n'\n"
        "s = smtplib.SMTP('127.0.0.1', " + std::to_string(server.port()) + ", timeout=10)\n"
        "s.ehlo('client.example')\n"
        "r = s.sendmail('a@example.com', ['intake@duegate.example'], msg)\n"
        "print(s.noop())\n"
        "s.quit()\n"
        "print('OK', r)\n");
    BOOST_TEST_INFO(out);
    BOOST_TEST_REQUIRE(rc == 0);
    auto got = sink.snapshot();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].raw ==
               "From: a@example.com\r\nSubject: invoice\r\n\r\nline one\r\n.starts with a dot\r\n\xc3\xa9t\xc3\xa9\r\n");
    BOOST_TEST(got[0].envelope.heloName == "client.example");
    BOOST_TEST(got[0].envelope.remoteAddress.rfind("127.0.0.1:", 0) == 0u);
    BOOST_TEST(got[0].envelope.recipients == std::vector<std::string>{"intake@duegate.example"});
}

BOOST_AUTO_TEST_CASE(python_smtplib_sees_an_unknown_recipient_refused_and_a_sink_failure_as_451) {
    FakeMailSink sink;
    sink.unknown = {"nobody@duegate.example"};
    sink.mode = FakeMailSink::Mode::FailTemporary;
    SmtpServer server(sink, loopback());
    server.start();
    auto [rc, out] = python(
        "import smtplib\n"
        "s = smtplib.SMTP('127.0.0.1', " + std::to_string(server.port()) + ", timeout=10)\n"
        "try:\n"
        "    s.sendmail('a@b', ['nobody@duegate.example'], b'x\\r\\n')\n"
        "except smtplib.SMTPRecipientsRefused as e:\n"
        "    print('refused', e.recipients['nobody@duegate.example'][0])\n"
        "try:\n"
        "    s.sendmail('a@b', ['ok@duegate.example'], b'x\\r\\n')\n"
        "except smtplib.SMTPDataError as e:\n"
        "    print('data', e.smtp_code)\n"
        "s.quit()\n");
    BOOST_TEST_INFO(out);
    BOOST_TEST(rc == 0);
    BOOST_TEST(out.find("refused 550") != std::string::npos);
    BOOST_TEST(out.find("data 451") != std::string::npos);
    BOOST_TEST(sink.snapshot().empty());
}

BOOST_AUTO_TEST_CASE(python_lmtp_client_gets_one_status_per_recipient) {
    FakeMailSink sink;
    auto o = loopback();
    o.lmtp = true;
    SmtpServer server(sink, o);
    server.start();
    auto [rc, out] = python(
        "import smtplib\n"
        "s = smtplib.LMTP('127.0.0.1', " + std::to_string(server.port()) + ")\n"
        "r = s.sendmail('a@b', ['r1@x', 'r2@x'], b'Subject: s\\r\\n\\r\\nhi\\r\\n')\n"
        "s.quit()\n"
        "print('OK', r)\n");
    BOOST_TEST_INFO(out);
    BOOST_TEST(rc == 0);
    BOOST_TEST(out.find("OK {}") != std::string::npos);
    BOOST_TEST(sink.snapshot().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_pipelined_conversation_with_bare_lf_endings_is_answered_in_order) {
    FakeMailSink sink;
    SmtpServer server(sink, loopback());
    server.start();
    RawClient c(server.port());
    BOOST_TEST(c.readLines(1).rfind("220 mx.test", 0) == 0u);
    c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<r@x>\nDATA\r\n");
    std::string replies = c.readLines(4);
    BOOST_TEST(replies.find("354 ") != std::string::npos);
    c.send("Subject: t\r\n\r\nbody\n..dot\r\n.\r\nQUIT\r\n");
    std::string rest = c.readToEnd();
    BOOST_TEST(rest.rfind("250 2.0.0 Ok: queued as Q1\r\n221 ", 0) == 0u);
    auto got = sink.snapshot();
    BOOST_TEST_REQUIRE(got.size() == 1u);
    BOOST_TEST(got[0].raw == "Subject: t\r\n\r\nbody\r\n.dot\r\n");
}

BOOST_AUTO_TEST_CASE(a_command_line_far_over_the_limit_is_refused_without_being_buffered) {
    FakeMailSink sink;
    auto o = loopback();
    o.maxCommandLineBytes = 100;
    o.maxDataLineBytes = 100;
    SmtpServer server(sink, o);
    server.start();
    RawClient c(server.port());
    c.readLines(1);
    c.send("NOOP " + std::string(95, 'x') + "\r\n");
    BOOST_TEST(c.readLines(1).rfind("250 ", 0) == 0u);
    c.send("NOOP " + std::string(96, 'x') + "\r\n");
    BOOST_TEST(c.readLines(1).rfind("500 5.5.2", 0) == 0u);
    c.send(std::string(1000000, 'y') + "\r\nNOOP\r\n");
    BOOST_TEST(c.readLines(2) == "500 5.5.2 Error: line too long\r\n250 2.0.0 Ok\r\n");
}

BOOST_AUTO_TEST_CASE(a_connection_over_the_limit_is_told_421_and_closed) {
    FakeMailSink sink;
    auto o = loopback();
    o.maxConnections = 1;
    SmtpServer server(sink, o);
    server.start();
    RawClient first(server.port());
    BOOST_TEST(first.readLines(1).rfind("220 ", 0) == 0u);
    RawClient second(server.port());
    BOOST_TEST(second.readToEnd().rfind("421 4.3.2", 0) == 0u);
    first.send("QUIT\r\n");
    first.readToEnd();
    // once the first is gone a new one is served again
    for (int i = 0; i < 100 && server.activeConnections() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    RawClient third(server.port());
    BOOST_TEST(third.readLines(1).rfind("220 ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(an_idle_client_is_told_421_after_the_timeout) {
    FakeMailSink sink;
    auto o = loopback();
    o.idleTimeoutSeconds = 1;
    SmtpServer server(sink, o);
    server.start();
    RawClient c(server.port());
    c.readLines(1);
    auto t0 = std::chrono::steady_clock::now();
    BOOST_TEST(c.readToEnd().rfind("421 4.4.2", 0) == 0u);
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(waited.count() >= 900);
}

BOOST_AUTO_TEST_CASE(stop_tells_open_sessions_421_and_returns_and_nothing_half_sent_is_kept) {
    FakeMailSink sink;
    SmtpServer server(sink, loopback());
    server.start();
    RawClient c(server.port());
    c.readLines(1);
    c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<r@x>\r\nDATA\r\n");
    c.readLines(4);
    c.send("Subject: half a mail\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
    BOOST_TEST(c.readToEnd().rfind("421 4.3.2", 0) == 0u);
    BOOST_TEST(server.activeConnections() == 0u);
    BOOST_TEST(sink.snapshot().empty());
}

BOOST_AUTO_TEST_CASE(a_client_that_disconnects_mid_data_leaves_nothing_stored) {
    FakeMailSink sink;
    SmtpServer server(sink, loopback());
    server.start();
    {
        RawClient c(server.port());
        c.readLines(1);
        c.send("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<r@x>\r\nDATA\r\n");
        c.readLines(4);
        c.send("Subject: cut\r\n");
        c.s.close();
    }
    for (int i = 0; i < 100 && server.activeConnections() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    BOOST_TEST(server.activeConnections() == 0u);
    BOOST_TEST(sink.attempts == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(smtp_server_concurrency)

BOOST_AUTO_TEST_CASE(eight_clients_at_once_each_get_their_own_mail_stored) {
    FakeMailSink sink;
    SmtpServer server(sink, loopback());
    server.start();
    auto [rc, out] = python(
        "import smtplib, threading\n"
        "errors = []\n"
        "def send(i):\n"
        "    try:\n"
        "        s = smtplib.SMTP('127.0.0.1', " + std::to_string(server.port()) + ", timeout=10)\n"
        "        for k in range(3):\n"
        "            s.sendmail('a@b', ['r%d@x' % i], ('Subject: %d-%d\\r\\n\\r\\n' % (i, k) + 'x' * 5000 + '\\r\\n').encode())\n"
        "        s.quit()\n"
        "    except Exception as e:\n"
        "        errors.append(repr(e))\n"
        "ts = [threading.Thread(target=send, args=(i,)) for i in range(8)]\n"
        "[t.start() for t in ts]\n"
        "[t.join() for t in ts]\n"
        "print('errors', errors)\n"
        "raise SystemExit(1 if errors else 0)\n");
    BOOST_TEST_INFO(out);
    BOOST_TEST(rc == 0);
    auto got = sink.snapshot();
    BOOST_TEST(got.size() == 24u);
    std::set<std::string> subjects;
    for (const auto& d : got) subjects.insert(d.raw.substr(0, d.raw.find("\r\n")));
    BOOST_TEST(subjects.size() == 24u);
}

BOOST_AUTO_TEST_SUITE_END()
