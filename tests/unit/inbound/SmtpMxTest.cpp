// SmtpSession as an Internet-facing MX: STARTTLS, SMTPUTF8, 8BITMIME, SIZE, PIPELINING, the
// timers (command, data block, DATA deadline), the daily quota verdict and spooling of DATA.
#include "gateway/inbound/SmtpSession.h"
#include "gateway/inbound/SpoolBuffer.h"
#include "tests/unit/inbound/FakeMailSink.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <unistd.h>
#include <string>

using namespace duegate::inbound;
using duegate::inbound::test::FakeMailSink;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
    std::chrono::steady_clock::time_point t = std::chrono::steady_clock::time_point{} + 1000h;
};

SmtpSessionOptions mx(FakeClock* clock = nullptr) {
    SmtpSessionOptions o;
    o.hostname = "mx.test";
    o.tlsAvailable = true;
    o.commandTimeout = 300s;
    o.dataBlockTimeout = 180s;
    o.dataDeadline = 600s;
    if (clock) o.clock = [clock] { return clock->t; };
    return o;
}

bool has(const Reply& r, const std::string& s) { return r.text.find(s) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(smtp_mx)

BOOST_AUTO_TEST_CASE(ehlo_advertises_starttls_size_pipelining_8bitmime_smtputf8) {
    FakeMailSink sink;
    SmtpSession s(sink, mx());
    auto r = s.onLine("EHLO c.example");
    for (auto ext : {"STARTTLS", "SIZE 26214400", "PIPELINING", "8BITMIME", "SMTPUTF8"})
        BOOST_TEST(has(r, ext), ext);
}

BOOST_AUTO_TEST_CASE(starttls_asks_for_the_handshake_then_the_session_starts_over_without_starttls) {
    FakeMailSink sink;
    SmtpSession s(sink, mx());
    s.onLine("EHLO c.example");
    auto r = s.onLine("STARTTLS");
    BOOST_TEST(r.code() == 220);
    BOOST_TEST(r.startTls);
    s.tlsStarted();
    BOOST_TEST(s.tlsActive());
    BOOST_TEST(s.onLine("MAIL FROM:<a@b.example>").code() == 503);   // must EHLO again
    auto again = s.onLine("EHLO c.example");
    BOOST_TEST(again.code() == 250);
    BOOST_TEST(!has(again, "STARTTLS"));
    BOOST_TEST(s.onLine("STARTTLS").code() == 503);
}

BOOST_AUTO_TEST_CASE(starttls_is_refused_inside_a_transaction_with_arguments_or_when_not_configured) {
    FakeMailSink sink;
    SmtpSession s(sink, mx());
    s.onLine("EHLO c.example");
    BOOST_TEST(s.onLine("STARTTLS now").code() == 501);
    s.onLine("MAIL FROM:<a@b.example>");
    auto r = s.onLine("STARTTLS");
    BOOST_TEST(r.code() == 503);
    BOOST_TEST(!r.startTls);
    auto plain = mx();
    plain.tlsAvailable = false;
    SmtpSession p(sink, plain);
    BOOST_TEST(!has(p.onLine("EHLO c.example"), "STARTTLS"));
    BOOST_TEST(p.onLine("STARTTLS").code() == 502);
}

BOOST_AUTO_TEST_CASE(a_utf8_address_needs_the_smtputf8_parameter) {
    FakeMailSink sink;
    SmtpSession s(sink, mx());
    s.onLine("EHLO c.example");
    BOOST_TEST(s.onLine("MAIL FROM:<jos\xc3\xa9@b.example>").code() == 553);
    BOOST_TEST(s.onLine("MAIL FROM:<a@b.example>").code() == 250);
    BOOST_TEST(s.onLine("RCPT TO:<f\xc3\xa9@in.example>").code() == 553);
    s.onLine("RSET");
    BOOST_TEST(s.onLine("MAIL FROM:<jos\xc3\xa9@b.example> SMTPUTF8 BODY=8BITMIME").code() == 250);
    BOOST_TEST(s.onLine("RCPT TO:<f\xc3\xa9@in.example>").code() == 250);
    BOOST_TEST(s.onLine("DATA").code() == 354);
    s.onLine("Subject: caf\xc3\xa9");
    BOOST_TEST(s.onLine(".").code() == 250);
    BOOST_TEST_REQUIRE(sink.deliveries.size() == 1u);
    BOOST_TEST(sink.deliveries[0].raw == "Subject: caf\xc3\xa9\r\n");   // 8-bit bytes kept as sent
    BOOST_TEST(sink.deliveries[0].envelope.recipients[0] == "f\xc3\xa9@in.example");
}

BOOST_AUTO_TEST_CASE(a_size_declared_at_the_limit_is_taken_and_one_byte_more_is_refused) {
    FakeMailSink sink;
    auto o = mx();
    o.maxMessageBytes = 1000;
    SmtpSession s(sink, o);
    s.onLine("EHLO c.example");
    BOOST_TEST(s.onLine("MAIL FROM:<a@b.example> SIZE=1001").code() == 552);
    BOOST_TEST(s.onLine("MAIL FROM:<a@b.example> SIZE=1000").code() == 250);
}

BOOST_AUTO_TEST_CASE(a_pipelined_transaction_gets_one_reply_per_command_in_order) {
    // The TCP layer feeds the lines of one packet one by one and sends the replies together.
    FakeMailSink sink;
    SmtpSession s(sink, mx());
    std::string out;
    for (auto l : {"EHLO c.example", "MAIL FROM:<a@b.example>", "RCPT TO:<x@in.example>", "RCPT TO:<y@in.example>",
                   "DATA"})
        out += s.onLine(l).text;
    BOOST_TEST(out.find("250 2.1.0") < out.find("250 2.1.5"));
    BOOST_TEST(out.substr(out.size() - 5 - 35).find("354") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_recipient_over_its_daily_quota_gets_452_4_2_2_and_others_still_pass) {
    FakeMailSink sink;
    sink.overQuota.insert("busy@in.example");
    SmtpSession s(sink, mx());
    s.onLine("EHLO c.example");
    s.onLine("MAIL FROM:<a@b.example>");
    auto r = s.onLine("RCPT TO:<busy@in.example>");
    BOOST_TEST(r.code() == 452);
    BOOST_TEST(has(r, "4.2.2"));
    BOOST_TEST(s.onLine("RCPT TO:<calm@in.example>").code() == 250);
}

BOOST_AUTO_TEST_CASE(no_command_for_the_command_timeout_closes_with_421_and_one_second_less_does_not) {
    FakeClock clock;
    FakeMailSink sink;
    SmtpSession s(sink, mx(&clock));
    s.onLine("EHLO c.example");
    clock.t += 299s;
    BOOST_TEST(s.checkTimers().text.empty());
    clock.t += 1s;
    auto r = s.checkTimers();
    BOOST_TEST(r.code() == 421);
    BOOST_TEST(r.close);
}

BOOST_AUTO_TEST_CASE(inside_data_the_data_block_timeout_applies) {
    FakeClock clock;
    FakeMailSink sink;
    SmtpSession s(sink, mx(&clock));
    for (auto l : {"EHLO c.example", "MAIL FROM:<a@b.example>", "RCPT TO:<x@in.example>", "DATA"}) s.onLine(l);
    clock.t += 179s;
    BOOST_TEST(s.checkTimers().text.empty());
    clock.t += 1s;
    BOOST_TEST(s.checkTimers().code() == 421);
    BOOST_TEST(sink.attempts == 0);
}

BOOST_AUTO_TEST_CASE(a_slow_sender_cannot_hold_the_data_phase_past_its_deadline) {
    FakeClock clock;
    FakeMailSink sink;
    SmtpSession s(sink, mx(&clock));
    for (auto l : {"EHLO c.example", "MAIL FROM:<a@b.example>", "RCPT TO:<x@in.example>", "DATA"}) s.onLine(l);
    for (int i = 0; i < 10; ++i) {   // a line every 59 s: never idle long enough for the block timeout
        clock.t += 59s;
        s.onLine("x");
        BOOST_TEST(s.checkTimers().text.empty());
    }
    clock.t += 10s;   // 600 s since 354
    s.onLine("x");
    auto r = s.checkTimers();
    BOOST_TEST(r.code() == 421);
    BOOST_TEST(has(r, "DATA took too long"));
    BOOST_TEST(r.close);
    BOOST_TEST(sink.attempts == 0);   // nothing half-received is stored or acknowledged
}

BOOST_AUTO_TEST_CASE(data_beyond_the_spool_threshold_goes_to_a_file_and_arrives_byte_for_byte) {
    FakeMailSink sink;
    auto o = mx();
    o.spoolThresholdBytes = 4096;
    o.spoolDir = "/tmp";
    SmtpSession s(sink, o);
    for (auto l : {"EHLO c.example", "MAIL FROM:<a@b.example>", "RCPT TO:<x@in.example>", "DATA"}) s.onLine(l);
    std::string expected;
    const std::string row(100, 'a');
    for (int i = 0; i < 2000; ++i) {   // about 200 KB
        s.onLine(row + std::to_string(i));
        expected += row + std::to_string(i) + "\r\n";
    }
    BOOST_TEST(s.onLine(".").code() == 250);
    BOOST_TEST_REQUIRE(sink.deliveries.size() == 1u);
    BOOST_TEST(sink.deliveries[0].raw == expected);
}

BOOST_AUTO_TEST_CASE(a_spool_buffer_keeps_at_most_threshold_plus_a_write_buffer_on_the_heap) {
    SpoolBuffer b(4096, "/tmp");
    const std::string chunk(1000, 'z');
    for (int i = 0; i < 4; ++i) b.append(chunk);
    BOOST_TEST(!b.spooled());
    for (int i = 0; i < 5000; ++i) b.append(chunk);   // 5 MB
    BOOST_TEST(b.spooled());
    BOOST_TEST(b.heapBytes() <= 4u * 65536);
    BOOST_TEST(b.size() == 5004000u);
    auto v = b.view();
    BOOST_TEST(v.size() == 5004000u);
    BOOST_TEST(v.find_first_not_of('z') == std::string_view::npos);
    b.clear();
    BOOST_TEST(b.size() == 0u);
    BOOST_TEST(!b.spooled());
}

BOOST_AUTO_TEST_CASE(a_spool_buffer_creates_its_folder_and_the_folders_above_it) {
    const std::string root = "/tmp/duegate-spool-test-" + std::to_string(::getpid());
    {
        SpoolBuffer b(16, root + "/blobs/spool");   // as on PostgreSQL: no blobs folder yet
        b.append(std::string(100, 'x'));
        BOOST_TEST(b.spooled());
        BOOST_TEST(b.view() == std::string(100, 'x'));
    }
    std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_CASE(a_spool_buffer_keeps_a_small_mails_memory_for_the_next_and_gives_a_large_ones_back) {
    SpoolBuffer b(1 << 20, "/tmp");
    b.append(std::string(200000, 'a'));
    const auto held = b.heapBytes();
    b.clear();
    BOOST_TEST(b.size() == 0u);
    BOOST_TEST(b.view().empty());
    BOOST_TEST(b.heapBytes() == held);   // the next mail grows into it
    b.append("next");
    BOOST_TEST(b.view() == "next");

    SpoolBuffer never(0, "/tmp");   // never spools: a large mail stays in memory until clear()
    for (int i = 0; i < 3000; ++i) never.append(std::string(1000, 'b'));
    BOOST_TEST(never.heapBytes() >= 3000000u);
    never.clear();
    BOOST_TEST(never.heapBytes() < 1024u);
}

BOOST_AUTO_TEST_SUITE_END()
