// The two mail channels against real peers: aiosmtpd (a real SMTP server writing a Maildir), a
// scripted SMTP server for the 4xx/5xx/hang-up cases, and the file system for FileMailChannel.
#include "channels/FileMailChannel.h"
#include "channels/SmtpMailChannel.h"
#include "tests/unit/channels/LoopbackPeers.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>

using namespace duegate::channels;
using namespace duegate::channels::test;

namespace {

OutboundMail sample() {
    OutboundMail m;
    m.from = "Duegate <reminders@duegate.example>";
    m.to = "Debtor <debtor@example.com>";
    m.subject = "Reminder: invoice 2026-001";
    m.textBody = "Dear debtor,\n.a line that starts with a dot\n.\nPlease pay.\n";
    m.messageId = "reminder-1@duegate.example";
    return m;
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it) out.push_back(it.path().toString());
    return out;
}

std::string readFile(const std::string& path) {
    Poco::FileInputStream in(path);
    std::string s;
    Poco::StreamCopier::copyToString(in, s);
    return s;
}

struct Aiosmtpd {
    Poco::TemporaryFile dir;
    std::uint16_t port = freePort();
    ChildProcess process{"/usr/bin/python3",
                         {"-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port), "-c",
                          "aiosmtpd.handlers.Mailbox", dir.path()}};
    Aiosmtpd() { BOOST_TEST_REQUIRE(waitForPort(port)); }
};

SmtpRelayOptions relayTo(std::uint16_t port) {
    SmtpRelayOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.heloName = "client.test";
    o.commandTimeoutSeconds = 5;
    o.connectTimeoutSeconds = 5;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(smtp_mail_channel)

BOOST_AUTO_TEST_CASE(a_mail_sent_to_aiosmtpd_lands_in_its_maildir_unchanged) {
    Aiosmtpd server;
    SmtpMailChannel channel(relayTo(server.port));
    DeliveryResult r = channel.send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(!std::get<Delivered>(r).providerId.empty());
    auto files = filesIn(server.dir.path() + "/new");
    BOOST_TEST_REQUIRE(files.size() == 1u);
    std::string stored = readFile(files[0]);
    BOOST_TEST(stored.find("Subject: Reminder: invoice 2026-001") != std::string::npos);
    BOOST_TEST(stored.find("Message-ID: <reminder-1@duegate.example>") != std::string::npos);
    // dot-stuffing undone by the server: the body's dot lines arrive as written
    BOOST_TEST(stored.find("\n.a line that starts with a dot\n.\nPlease pay.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(opportunistic_starttls_sends_in_plain_text_when_the_server_offers_none) {
    Aiosmtpd server;
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Opportunistic;
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isDelivered(r));
}

BOOST_AUTO_TEST_CASE(required_starttls_without_an_offer_is_a_retry_and_sends_nothing) {
    Aiosmtpd server;
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Required;
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isRetry(r));
    BOOST_TEST(filesIn(server.dir.path() + "/new").empty());
}

// aiosmtpd with STARTTLS and a throwaway self-signed certificate for localhost. aiosmtpd refuses
// MAIL before STARTTLS (require_starttls), so a delivery proves the channel switched to TLS.
struct TlsAiosmtpd {
    Poco::TemporaryFile dir;
    Poco::TemporaryFile certDir;
    std::uint16_t port = freePort();
    bool ready = makeCert();
    ChildProcess process{"/usr/bin/python3",
                         {"-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port), "-c",
                          "aiosmtpd.handlers.Mailbox", dir.path(), "--tlscert", cert(), "--tlskey", key()}};
    TlsAiosmtpd() { BOOST_TEST_REQUIRE(waitForPort(port)); }
    std::string cert() const { return certDir.path() + "/cert.pem"; }
    std::string key() const { return certDir.path() + "/key.pem"; }
    bool makeCert() {
        Poco::File(certDir.path()).createDirectories();
        std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
                          " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + key() + " -out " + cert() +
                          " >/dev/null 2>&1";
        bool ok = std::system(cmd.c_str()) == 0;
        BOOST_TEST_REQUIRE(ok);
        return ok;
    }
};

BOOST_AUTO_TEST_CASE(required_starttls_with_a_trusted_certificate_delivers_over_tls) {
    TlsAiosmtpd server;
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Required;
    o.caLocation = server.cert();
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isDelivered(r));
    BOOST_TEST(filesIn(server.dir.path() + "/new").size() == 1u);
}

BOOST_AUTO_TEST_CASE(required_starttls_delivers_a_dkim_signed_mail) {
    TlsAiosmtpd server;
    const std::string key = server.dir.path() + "/dkim.pem";
    BOOST_TEST_REQUIRE(std::system(("openssl genrsa -out " + key + " 2048 2>/dev/null").c_str()) == 0);
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Required;
    o.caLocation = server.cert();
    o.dkim = DkimSigner::fromKeyFile(key, "sel1", "duegate.example");
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isDelivered(r));
    auto files = filesIn(server.dir.path() + "/new");
    BOOST_TEST_REQUIRE(files.size() == 1u);
    BOOST_TEST(readFile(files[0]).find("DKIM-Signature:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_return_path_is_the_envelope_sender) {
    ScriptedSmtpServer fake;
    fake.start();
    auto mail = sample();
    mail.returnPath = "r+17-abcdefghijklm@reply.duegate.example";
    DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(mail);
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(fake.lines().at(1) == "MAIL FROM:<r+17-abcdefghijklm@reply.duegate.example>");
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_is_a_retry_and_nothing_is_sent) {
    TlsAiosmtpd server;
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Opportunistic;   // offered, so used, so verified
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isRetry(r));
    BOOST_TEST(filesIn(server.dir.path() + "/new").empty());
}

BOOST_AUTO_TEST_CASE(opportunistic_starttls_without_verification_still_encrypts) {
    TlsAiosmtpd server;
    auto o = relayTo(server.port);
    o.starttls = SmtpRelayOptions::StartTls::Opportunistic;
    o.verifyCertificate = false;
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isDelivered(r));
}

BOOST_AUTO_TEST_CASE(the_queue_reply_is_the_provider_id_and_the_data_is_dot_stuffed) {
    ScriptedSmtpServer fake;
    fake.start();
    DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(std::get<Delivered>(r).providerId == "2.0.0 Ok: queued as FAKE1");
    auto lines = fake.lines();
    BOOST_TEST(lines.at(0) == "EHLO client.test");
    BOOST_TEST(lines.at(1) == "MAIL FROM:<reminders@duegate.example>");
    BOOST_TEST(lines.at(2) == "RCPT TO:<debtor@example.com>");
    BOOST_TEST((std::find(lines.begin(), lines.end(), "..a line that starts with a dot") != lines.end()));
    BOOST_TEST((std::find(lines.begin(), lines.end(), "..") != lines.end()));
}

BOOST_AUTO_TEST_CASE(a_4xx_at_rcpt_is_a_retry_and_a_5xx_is_a_failure) {
    {
        ScriptedSmtpServer fake;
        fake.replies["RCPT"] = "451 4.3.0 try later\r\n";
        fake.start();
        DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(sample());
        BOOST_TEST_REQUIRE(isRetry(r));
        BOOST_TEST(std::get<Retry>(r).reason.find("451 4.3.0 try later") != std::string::npos);
        BOOST_TEST(std::get<Retry>(r).afterSeconds == 300);
    }
    {
        ScriptedSmtpServer fake;
        fake.replies["RCPT"] = "550 5.1.1 no such user\r\n";
        fake.start();
        DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(sample());
        BOOST_TEST_REQUIRE(isFailed(r));
        BOOST_TEST(std::get<Failed>(r).reason.find("550 5.1.1") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(the_reply_after_the_data_decides_retry_or_failure) {
    {
        ScriptedSmtpServer fake;
        fake.replies["."] = "452 4.3.1 insufficient storage\r\n";
        fake.start();
        BOOST_TEST(isRetry(SmtpMailChannel(relayTo(fake.port())).send(sample())));
    }
    {
        ScriptedSmtpServer fake;
        fake.replies["."] = "554 5.7.1 spam\r\n";
        fake.start();
        BOOST_TEST(isFailed(SmtpMailChannel(relayTo(fake.port())).send(sample())));
    }
}

BOOST_AUTO_TEST_CASE(a_421_greeting_is_a_retry) {
    ScriptedSmtpServer fake;
    fake.greeting = "421 4.3.2 busy\r\n";
    fake.start();
    BOOST_TEST(isRetry(SmtpMailChannel(relayTo(fake.port())).send(sample())));
}

BOOST_AUTO_TEST_CASE(a_server_without_ehlo_is_spoken_to_with_helo) {
    ScriptedSmtpServer fake;
    fake.replies["EHLO"] = "502 5.5.1 no ESMTP here\r\n";
    fake.start();
    DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(sample());
    BOOST_TEST(isDelivered(r));
    BOOST_TEST(fake.lines().at(1) == "HELO client.test");
}

BOOST_AUTO_TEST_CASE(a_hang_up_after_the_data_is_an_unknown_outcome) {
    ScriptedSmtpServer fake;
    fake.hangUpAfterData = true;
    fake.start();
    DeliveryResult r = SmtpMailChannel(relayTo(fake.port())).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isUnknown(r));
    BOOST_TEST(std::get<Unknown>(r).reason.find("state unknown") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_reply_to_the_final_dot_waits_the_final_reply_timeout_then_is_unknown) {
    // RFC 5321 4.5.3.2.6: the reply to the final dot gets its own, longer timeout (10 minutes in
    // production; 2 s here) than the other replies (1 s here).
    ScriptedSmtpServer fake;
    fake.silentAfterData = true;
    fake.start();
    auto o = relayTo(fake.port());
    o.commandTimeoutSeconds = 1;
    o.finalReplyTimeoutSeconds = 2;
    const auto t0 = std::chrono::steady_clock::now();
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isUnknown(r));
    BOOST_TEST(waited >= 1.9);
    BOOST_TEST(waited < 10.0);
}

BOOST_AUTO_TEST_CASE(a_refused_connection_is_a_retry) {
    auto o = relayTo(freePort());
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST(isRetry(r));
}

BOOST_AUTO_TEST_CASE(a_silent_server_is_a_retry_after_the_command_timeout) {
    ScriptedSmtpServer fake;
    fake.silent = true;
    fake.start();
    auto o = relayTo(fake.port());
    o.commandTimeoutSeconds = 1;
    auto t0 = std::chrono::steady_clock::now();
    DeliveryResult r = SmtpMailChannel(o).send(sample());
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(isRetry(r));
    BOOST_TEST(waited.count() < 4000);
}

BOOST_AUTO_TEST_CASE(an_unrenderable_mail_or_an_injected_address_is_a_failure) {
    ScriptedSmtpServer fake;
    fake.start();
    auto m = sample();
    m.extraHeaders = {{"From", "x@y"}};
    BOOST_TEST(isFailed(SmtpMailChannel(relayTo(fake.port())).send(m)));
    BOOST_TEST(isFailed(SmtpMailChannel(relayTo(fake.port())).sendRaw("a@b", "x@y>\r\nRCPT TO:<z@z", "x\r\n", "")));
}

BOOST_AUTO_TEST_CASE(starttls_settings_parse_from_their_config_words) {
    SmtpRelayOptions::StartTls t{};
    BOOST_TEST(parseStartTls("Required", t));
    BOOST_TEST((t == SmtpRelayOptions::StartTls::Required));
    BOOST_TEST(parseStartTls("off", t));
    BOOST_TEST(!parseStartTls("maybe", t));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(file_mail_channel)

BOOST_AUTO_TEST_CASE(a_mail_is_written_as_one_eml_file_named_after_its_message_id) {
    Poco::TemporaryFile dir;
    FileMailChannel channel({dir.path() + "/outbox", 60});
    DeliveryResult r = channel.send(sample());
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(std::get<Delivered>(r).providerId == dir.path() + "/outbox/reminder-1@duegate.example.eml");
    auto files = filesIn(dir.path() + "/outbox");
    BOOST_TEST_REQUIRE(files.size() == 1u);   // no temporary file left behind
    std::string raw = readFile(files[0]);
    BOOST_TEST(raw.find("Message-ID: <reminder-1@duegate.example>\r\n") != std::string::npos);
    // a resend replaces the same file
    BOOST_TEST(isDelivered(channel.send(sample())));
    BOOST_TEST(filesIn(dir.path() + "/outbox").size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_id_never_becomes_a_path_outside_the_outbox) {
    Poco::TemporaryFile dir;
    FileMailChannel channel({dir.path(), 60});
    for (std::string id : {"../../etc/passwd", "a/b@c", "..", "x\0y"}) {
        auto m = sample();
        m.messageId = id;
        DeliveryResult r = channel.send(m);
        BOOST_TEST_REQUIRE(isDelivered(r));
        std::string path = std::get<Delivered>(r).providerId;
        BOOST_TEST(path.rfind(dir.path() + "/", 0) == 0u);
        BOOST_TEST(path.find('/', dir.path().size() + 1) == std::string::npos);
        BOOST_TEST(path[dir.path().size() + 1] != '.');   // never ".", "..", or hidden
    }
    BOOST_TEST(channel.pathFor("a/b") != channel.pathFor("a_b"));
}

BOOST_AUTO_TEST_CASE(a_mail_without_message_id_gets_one_and_its_file) {
    Poco::TemporaryFile dir;
    auto m = sample();
    m.messageId.clear();
    DeliveryResult r = FileMailChannel({dir.path(), 60}).send(m);
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(std::get<Delivered>(r).providerId.find("@duegate.example.eml") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_outbox_that_cannot_be_written_is_a_retry) {
    Poco::TemporaryFile notADir;
    notADir.createFile();
    DeliveryResult r = FileMailChannel({notADir.path() + "/outbox", 42}).send(sample());
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isRetry(r));
    BOOST_TEST(std::get<Retry>(r).afterSeconds == 42);
}

BOOST_AUTO_TEST_SUITE_END()
