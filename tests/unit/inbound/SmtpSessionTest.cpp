#include "gateway/inbound/SmtpSession.h"
#include "tests/unit/inbound/FakeMailSink.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace duegate::inbound;
using duegate::inbound::test::FakeMailSink;

namespace {

// One step of a conversation: what the client sends, the reply code expected (0 = no reply,
// as for lines inside DATA), and optionally a fragment the reply must contain.
struct Step {
    std::string send;
    int code;
    std::string contains = {};
};

// Plays the table against the session; stops at the first mismatch with the step named.
void converse(SmtpSession& session, const std::vector<Step>& steps) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto& s = steps[i];
        Reply r = session.onLine(s.send);
        BOOST_TEST_CONTEXT("step " << i << ": " << s.send.substr(0, 60) << " -> " << r.text) {
            BOOST_TEST_REQUIRE(r.code() == s.code);
            if (!s.contains.empty()) BOOST_TEST(r.text.find(s.contains) != std::string::npos);
        }
    }
}

std::vector<Step> envelopeTo(const std::string& rcpt) {
    return {{"EHLO client.example", 250}, {"MAIL FROM:<a@b.example>", 250}, {"RCPT TO:<" + rcpt + ">", 250},
            {"DATA", 354}};
}

SmtpSessionOptions small() {
    SmtpSessionOptions o;
    o.hostname = "mx.test";
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(smtp_session)

BOOST_AUTO_TEST_CASE(a_mail_is_acknowledged_only_after_the_sink_stored_it) {
    FakeMailSink sink;
    SmtpSession s(sink, small(), "192.0.2.1:4000");
    BOOST_TEST(s.greeting() == "220 mx.test ESMTP duegate\r\n");
    converse(s, {{"EHLO client.example", 250, "SIZE 26214400"},
                 {"MAIL FROM:<alice@example.com> SIZE=100 BODY=8BITMIME", 250, "2.1.0"},
                 {"RCPT TO:<intake@duegate.example>", 250, "2.1.5"},
                 {"DATA", 354},
                 {"Subject: hi", 0},
                 {"", 0},
                 {"body", 0}});
    BOOST_TEST(sink.attempts == 0);
    converse(s, {{".", 250, "2.0.0 Ok: queued as Q1"}, {"QUIT", 221}});
    BOOST_TEST(s.closed());
    BOOST_TEST_REQUIRE(sink.deliveries.size() == 1u);
    const auto& d = sink.deliveries[0];
    BOOST_TEST(d.raw == "Subject: hi\r\n\r\nbody\r\n");
    BOOST_TEST(d.envelope.heloName == "client.example");
    BOOST_TEST(d.envelope.remoteAddress == "192.0.2.1:4000");
    BOOST_TEST(d.envelope.mailFrom == "alice@example.com");
    BOOST_TEST(d.envelope.recipients == std::vector<std::string>{"intake@duegate.example"});
}

BOOST_AUTO_TEST_CASE(the_raw_bytes_are_stored_without_a_received_header) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    auto steps = envelopeTo("x@y");
    steps.push_back({"From: a@b", 0});
    steps.push_back({".", 250});
    converse(s, steps);
    BOOST_TEST(sink.deliveries.at(0).raw == "From: a@b\r\n");
}

BOOST_AUTO_TEST_CASE(two_mails_in_one_session_have_separate_envelopes) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"HELO c", 250}, {"MAIL FROM:<>", 250}, {"RCPT TO:<r1@x>", 250}, {"DATA", 354}, {"one", 0},
                 {".", 250}, {"MAIL FROM:<s@x>", 250}, {"RCPT TO:<r2@x>", 250}, {"DATA", 354}, {"two", 0},
                 {".", 250, "Q2"}});
    BOOST_TEST_REQUIRE(sink.deliveries.size() == 2u);
    BOOST_TEST(sink.deliveries[0].envelope.mailFrom == "");
    BOOST_TEST(sink.deliveries[1].envelope.recipients == std::vector<std::string>{"r2@x"});
    BOOST_TEST(sink.deliveries[1].raw == "two\r\n");
}

BOOST_AUTO_TEST_CASE(an_unknown_recipient_is_refused_at_rcpt_with_550_5_1_1) {
    FakeMailSink sink;
    sink.unknown = {"nobody@duegate.example"};
    SmtpSession s(sink, small());
    converse(s, {{"EHLO c", 250}, {"MAIL FROM:<a@b>", 250},
                 {"RCPT TO:<nobody@duegate.example>", 550, "5.1.1 <nobody@duegate.example>"},
                 {"DATA", 554, "no valid recipients"},
                 {"RCPT TO:<ok@duegate.example>", 250}, {"DATA", 354}, {"x", 0}, {".", 250}});
    BOOST_TEST(sink.deliveries.at(0).envelope.recipients == std::vector<std::string>{"ok@duegate.example"});
}

BOOST_AUTO_TEST_CASE(a_recipient_lookup_failure_is_temporary) {
    FakeMailSink sink;
    sink.temporary = {"t@x"};
    SmtpSession s(sink, small());
    converse(s, {{"EHLO c", 250}, {"MAIL FROM:<a@b>", 250}, {"RCPT TO:<t@x>", 451, "4.3.0"}});
}

BOOST_AUTO_TEST_CASE(commands_out_of_sequence_get_503) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"MAIL FROM:<a@b>", 503, "5.5.1"},
                 {"RCPT TO:<a@b>", 503},
                 {"DATA", 503},
                 {"EHLO c", 250},
                 {"RCPT TO:<a@b>", 503, "need MAIL"},
                 {"DATA", 503},
                 {"MAIL FROM:<a@b>", 250},
                 {"MAIL FROM:<a@b>", 503, "nested"},
                 {"RSET", 250},
                 {"RCPT TO:<a@b>", 503}});
}

BOOST_AUTO_TEST_CASE(unknown_and_unoffered_commands_are_refused) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"FOO bar", 500, "5.5.2"}, {"", 500}, {"STARTTLS", 502}, {"EXPN list", 502}, {"LHLO c", 500},
                 {"noop", 250}, {"VRFY someone", 252}, {"VRFY", 501}, {"HELO", 501}, {"HELP", 214}});
}

BOOST_AUTO_TEST_CASE(address_syntax_is_checked_leniently) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"EHLO c", 250},
                 {"MAIL FROM:a@b", 250},    // missing brackets: accepted, broken senders exist
                 {"RSET", 250},
                 {"MAIL FROM: <a@b>", 250},   // space after the colon
                 {"RSET", 250},
                 {"MAIL FROM:<a@b", 501, "5.1.7"},
                 {"MAIL TO:<a@b>", 501},
                 {"MAIL FROM:<a@b> XFOO=1", 555},
                 {"MAIL FROM:<a@b> SIZE=abc", 501},
                 {"mail from:<@relay.example:a@b>", 250},
                 {"RCPT TO:<>", 501, "5.1.3"},
                 {"RCPT TO:<r@x> NOTIFY=NEVER", 555},
                 {"RCPT TO:<\"q >\"@x>", 250}});
}

BOOST_AUTO_TEST_CASE(a_source_route_is_dropped_from_the_sender) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"EHLO c", 250}, {"MAIL FROM:<@relay.example:a@b>", 250}, {"RCPT TO:<r@x>", 250},
                 {"DATA", 354}, {".", 250}});
    BOOST_TEST(sink.deliveries.at(0).envelope.mailFrom == "a@b");
    BOOST_TEST(sink.deliveries.at(0).raw == "");
}

BOOST_AUTO_TEST_CASE(lines_starting_with_a_dot_are_unstuffed) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{"..", 0}, {"..hidden", 0}, {".x", 0}, {" .", 0}, {".", 250}});
    converse(s, steps);
    BOOST_TEST(sink.deliveries.at(0).raw == ".\r\n.hidden\r\nx\r\n .\r\n");
}

BOOST_AUTO_TEST_CASE(a_message_of_exactly_the_size_limit_is_accepted) {
    FakeMailSink sink;
    auto o = small();
    o.maxMessageBytes = 12;   // "0123456789\r\n"
    SmtpSession s(sink, o);
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{"0123456789", 0}, {".", 250}});
    converse(s, steps);
    BOOST_TEST(sink.deliveries.at(0).raw.size() == 12u);
}

BOOST_AUTO_TEST_CASE(a_message_one_byte_over_the_limit_gets_552_after_its_end_and_is_not_delivered) {
    FakeMailSink sink;
    auto o = small();
    o.maxMessageBytes = 12;
    SmtpSession s(sink, o);
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{"01234567890", 0}, {"more after the limit", 0}, {".", 552, "5.3.4"},
                               {"MAIL FROM:<a@b>", 250}});
    converse(s, steps);
    BOOST_TEST(sink.attempts == 0);
}

BOOST_AUTO_TEST_CASE(a_declared_size_over_the_limit_is_refused_at_mail) {
    FakeMailSink sink;
    auto o = small();
    o.maxMessageBytes = 1000;
    SmtpSession s(sink, o);
    converse(s, {{"EHLO c", 250, "SIZE 1000"}, {"MAIL FROM:<a@b> SIZE=1000", 250}, {"RSET", 250},
                 {"MAIL FROM:<a@b> SIZE=1001", 552, "5.3.4"},
                 {"MAIL FROM:<a@b> SIZE=99999999999999999999", 552}});
}

BOOST_AUTO_TEST_CASE(a_command_line_at_the_limit_is_read_and_one_over_is_refused) {
    FakeMailSink sink;
    auto o = small();
    o.maxCommandLineBytes = 20;
    SmtpSession s(sink, o);
    converse(s, {{"NOOP " + std::string(15, 'x'), 250}, {"NOOP " + std::string(16, 'x'), 500, "too long"}});
}

BOOST_AUTO_TEST_CASE(a_data_line_over_the_limit_rejects_the_message_after_its_end) {
    FakeMailSink sink;
    auto o = small();
    o.maxDataLineBytes = 10;
    SmtpSession s(sink, o);
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{std::string(10, 'a'), 0}, {".", 250}});
    converse(s, steps);
    steps = {{"MAIL FROM:<a@b>", 250}, {"RCPT TO:<r@x>", 250}, {"DATA", 354},
             {std::string(11, 'a'), 0}, {"tail", 0}, {".", 554, "5.6.0"}};
    converse(s, steps);
    BOOST_TEST(sink.attempts == 1);
}

BOOST_AUTO_TEST_CASE(a_temporary_sink_failure_gives_451_and_nothing_is_acknowledged) {
    FakeMailSink sink;
    sink.mode = FakeMailSink::Mode::FailTemporary;
    SmtpSession s(sink, small());
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{"x", 0}, {".", 451, "4.3.0"}});
    converse(s, steps);
    BOOST_TEST(sink.attempts == 1);
    BOOST_TEST(sink.deliveries.empty());
}

BOOST_AUTO_TEST_CASE(a_sink_that_throws_is_a_temporary_failure) {
    FakeMailSink sink;
    sink.mode = FakeMailSink::Mode::Throw;
    SmtpSession s(sink, small());
    auto steps = envelopeTo("r@x");
    steps.insert(steps.end(), {{".", 451}, {"NOOP", 250}});
    converse(s, steps);
}

BOOST_AUTO_TEST_CASE(a_permanent_sink_failure_gives_554_with_a_sanitised_reason) {
    FakeMailSink sink;
    sink.mode = FakeMailSink::Mode::FailPermanent;
    SmtpSession s(sink, small());
    auto steps = envelopeTo("r@x");
    converse(s, steps);
    Reply r = s.onLine(".");
    BOOST_TEST(r.text == "554 5.6.0 Message rejected: blocked  250 fake\r\n");
}

BOOST_AUTO_TEST_CASE(recipients_up_to_the_limit_are_taken_and_the_next_gets_452) {
    FakeMailSink sink;
    auto o = small();
    o.maxRecipients = 2;
    SmtpSession s(sink, o);
    converse(s, {{"EHLO c", 250}, {"MAIL FROM:<a@b>", 250}, {"RCPT TO:<r1@x>", 250}, {"RCPT TO:<r2@x>", 250},
                 {"RCPT TO:<r3@x>", 452, "4.5.3"}, {"DATA", 354}, {".", 250}});
    BOOST_TEST(sink.deliveries.at(0).envelope.recipients.size() == 2u);
}

BOOST_AUTO_TEST_CASE(errors_up_to_the_limit_are_tolerated_and_the_next_closes_with_421) {
    FakeMailSink sink;
    auto o = small();
    o.maxErrors = 2;
    SmtpSession s(sink, o);
    converse(s, {{"BAD", 500}, {"NOOP", 250}, {"BAD", 500}});
    Reply r = s.onLine("BAD");
    BOOST_TEST(r.code() == 421);
    BOOST_TEST(r.close);
    BOOST_TEST(s.closed());
}

BOOST_AUTO_TEST_CASE(rset_forgets_the_transaction_but_not_the_greeting) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    converse(s, {{"EHLO c", 250}, {"MAIL FROM:<a@b>", 250}, {"RCPT TO:<r@x>", 250}, {"RSET", 250},
                 {"DATA", 503}, {"MAIL FROM:<c@d>", 250}, {"RCPT TO:<s@x>", 250}, {"DATA", 354}, {".", 250}});
    BOOST_TEST(sink.deliveries.at(0).envelope.mailFrom == "c@d");
    BOOST_TEST(sink.deliveries.at(0).envelope.recipients == std::vector<std::string>{"s@x"});
}

BOOST_AUTO_TEST_CASE(lmtp_answers_once_per_accepted_recipient_after_data) {
    FakeMailSink sink;
    sink.unknown = {"gone@x"};
    auto o = small();
    o.lmtp = true;
    SmtpSession s(sink, o);
    BOOST_TEST(s.greeting() == "220 mx.test LMTP duegate\r\n");
    converse(s, {{"EHLO c", 500}, {"HELO c", 500}, {"LHLO c", 250, "PIPELINING"}, {"MAIL FROM:<a@b>", 250},
                 {"RCPT TO:<r1@x>", 250}, {"RCPT TO:<gone@x>", 550}, {"RCPT TO:<r2@x>", 250}, {"DATA", 354},
                 {"hello", 0}});
    Reply r = s.onLine(".");
    BOOST_TEST(r.text == "250 2.0.0 <r1@x> Ok: queued as Q1\r\n250 2.0.0 <r2@x> Ok: queued as Q1\r\n");
    BOOST_TEST(sink.deliveries.size() == 1u);
}

BOOST_AUTO_TEST_CASE(lmtp_repeats_a_temporary_failure_for_every_recipient) {
    FakeMailSink sink;
    sink.mode = FakeMailSink::Mode::FailTemporary;
    auto o = small();
    o.lmtp = true;
    SmtpSession s(sink, o);
    converse(s, {{"LHLO c", 250}, {"MAIL FROM:<a@b>", 250}, {"RCPT TO:<r1@x>", 250}, {"RCPT TO:<r2@x>", 250},
                 {"DATA", 354}});
    Reply r = s.onLine(".");
    BOOST_TEST(r.text == "451 4.3.0 <r1@x> Error: message not stored, try again later\r\n"
                         "451 4.3.0 <r2@x> Error: message not stored, try again later\r\n");
}

BOOST_AUTO_TEST_CASE(a_timeout_or_shutdown_closes_with_421) {
    FakeMailSink sink;
    SmtpSession s(sink, small());
    Reply r = s.timeout();
    BOOST_TEST(r.code() == 421);
    BOOST_TEST(r.close);
    SmtpSession t(sink, small());
    BOOST_TEST(t.shuttingDown().text.find("421 4.3.2") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(smtp_session_properties)

// Random conversations from a vocabulary of valid, invalid and data lines: the session never
// acknowledges a mail the sink did not store, never answers with more than one reply per command
// (except LMTP after DATA), and always answers a command.
BOOST_AUTO_TEST_CASE(random_conversations_never_acknowledge_what_was_not_stored) {
    const std::vector<std::string> vocab = {
        "EHLO c", "HELO c", "LHLO c", "MAIL FROM:<a@b>", "MAIL FROM:<>", "MAIL FROM:<a@b> SIZE=999999999",
        "RCPT TO:<r@x>", "RCPT TO:<gone@x>", "RCPT TO:<t@x>", "DATA", "RSET", "NOOP", "VRFY x", ".", "..",
        "text", "", "BDAT 1", "MAIL", "RCPT", "DATA x", std::string(300, 'z'), "QUIT"};
    std::uint32_t seed = 12345;
    auto next = [&] { seed = seed * 1664525u + 1013904223u; return seed >> 8; };
    std::size_t totalStored = 0;
    for (int run = 0; run < 300; ++run) {
        FakeMailSink sink;
        sink.unknown = {"gone@x"};
        sink.temporary = {"t@x"};
        sink.mode = static_cast<FakeMailSink::Mode>(next() % 4);
        auto o = small();
        o.lmtp = next() % 2;
        o.maxCommandLineBytes = 200;
        o.maxMessageBytes = 50;
        o.maxRecipients = 2;
        o.maxErrors = 50;
        SmtpSession s(sink, o);
        // Half of the lines follow the happy path, so that random ones hit every state.
        const std::vector<std::string> happy = {o.lmtp ? "LHLO c" : "EHLO c", "MAIL FROM:<a@b>", "RCPT TO:<r@x>",
                                                "DATA", "text", "."};
        std::size_t h = 0;
        std::size_t acknowledged = 0;
        for (int step = 0; step < 200 && !s.closed(); ++step) {
            bool wasData = s.inData();
            Reply r = s.onLine(next() % 2 ? happy[h++ % happy.size()] : vocab[next() % vocab.size()]);
            for (std::size_t p = 0; (p = r.text.find("queued as", p)) != std::string::npos; ++p) ++acknowledged;
            if (!wasData) BOOST_TEST_REQUIRE(!r.text.empty());
        }
        std::size_t stored = 0;
        for (const auto& d : sink.deliveries) stored += o.lmtp ? d.envelope.recipients.size() : 1;
        BOOST_TEST_REQUIRE(acknowledged == stored);
        totalStored += stored;
    }
    BOOST_TEST(totalStored > 0u);   // the vocabulary does reach the happy path
}

BOOST_AUTO_TEST_SUITE_END()
