// Mailbox polling: the URL forms, the IMAP client against a scripted server, and the poller's
// order (commit before delete/move; remembered UIDs only finished) against a real store.
#include "gateway/inbound/IntakeSink.h"
#include "gateway/inbound/mailbox/ImapClient.h"
#include "gateway/inbound/mailbox/MailboxPoller.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/IntakeService.h"
#include "gateway/services/MailboxService.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <deque>
#include <map>
#include <sstream>
#include <stdexcept>

using namespace duegate;
using namespace duegate::inbound;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

// A scripted IMAP server: each command the client writes is answered with the next canned reply.
class ScriptedTransport : public LineTransport {
public:
    std::deque<std::string> replies;   // one entry per expected command (or the greeting), lines joined
    std::vector<std::string> written;
    std::string pending;

    explicit ScriptedTransport(std::string greeting) { pending = std::move(greeting); }
    void write(std::string_view bytes) override {
        written.emplace_back(bytes);
        std::string tag(bytes.substr(0, bytes.find(' ')));
        if (replies.empty()) throw std::runtime_error("unexpected command " + std::string(bytes));
        std::string r = replies.front();
        replies.pop_front();
        for (std::size_t p; (p = r.find("TAG")) != std::string::npos;) r.replace(p, 3, tag);
        pending += r;
    }
    std::string readLine(std::size_t) override {
        auto lf = pending.find("\r\n");
        if (lf == std::string::npos) throw std::runtime_error("server has nothing more to say");
        std::string line = pending.substr(0, lf);
        pending.erase(0, lf + 2);
        return line;
    }
    std::string readExactly(std::size_t n) override {
        if (pending.size() < n) throw std::runtime_error("short literal");
        std::string out = pending.substr(0, n);
        pending.erase(0, n);
        return out;
    }
};

const std::string kMail = "From: a@b.example\r\nSubject: x\r\n\r\nbody with ) and {3}\r\n";

std::unique_ptr<ScriptedTransport> imapServer(bool move) {
    auto t = std::make_unique<ScriptedTransport>("* OK IMAP4rev1 ready\r\n");
    t->replies = {
        "TAG OK logged in\r\n",
        std::string("* CAPABILITY IMAP4rev1 UIDPLUS") + (move ? " MOVE" : "") + "\r\nTAG OK\r\n",
        "* 2 EXISTS\r\n* OK [UIDVALIDITY 1700000001] UIDs valid\r\nTAG OK [READ-WRITE] SELECT done\r\n",
    };
    return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mailbox)

BOOST_AUTO_TEST_CASE(mailbox_urls_name_protocol_tls_user_host_port_and_folder) {
    std::string e;
    auto u = services::parseMailboxUrl("imaps://invoices%40acme.example@mail.acme.example/Factuur%20In", e);
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST((u->protocol == services::MailboxUrl::Protocol::Imap));
    BOOST_TEST(u->tls);
    BOOST_TEST(u->user == "invoices@acme.example");
    BOOST_TEST(u->host == "mail.acme.example");
    BOOST_TEST(u->port == 993);
    BOOST_TEST(u->folder == "Factuur In");
    BOOST_TEST(u->display() == "imaps://mail.acme.example:993/Factuur In");
    auto p = services::parseMailboxUrl("pop3://bob@127.0.0.1:1110", e);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->port == 1110);
    BOOST_TEST(!p->tls);
    BOOST_TEST(!services::parseMailboxUrl("pop3s://bob:secret@host", e).has_value());
    BOOST_TEST(e.find("no password in the URL") != std::string::npos);
    BOOST_TEST(!services::parseMailboxUrl("http://bob@host", e).has_value());
    BOOST_TEST(!services::parseMailboxUrl("pop3://host", e).has_value());
    BOOST_TEST(!services::parseMailboxUrl("pop3://bob@host:70000", e).has_value());
    BOOST_TEST(!services::parseMailboxUrl("pop3://bob@host/INBOX", e).has_value());
}

BOOST_AUTO_TEST_CASE(imap_reads_uidvalidity_lists_sizes_and_fetches_a_literal_byte_for_byte) {
    auto t = imapServer(true);
    auto* raw = t.get();
    raw->replies.push_back("* 1 FETCH (UID 7 RFC822.SIZE 120)\r\n* 2 FETCH (RFC822.SIZE 99 UID 9)\r\nTAG OK\r\n");
    raw->replies.push_back("* 1 FETCH (UID 7 BODY[] {" + std::to_string(kMail.size()) + "}\r\n" + kMail +
                           ")\r\nTAG OK FETCH done\r\n");
    raw->replies.push_back("TAG OK [TRYCREATE]\r\n");   // CREATE
    raw->replies.push_back("TAG OK moved\r\n");
    raw->replies.push_back("* BYE\r\nTAG OK\r\n");
    ImapClient c(std::move(t), "u", "p\"w", "INBOX", "move:Done", 1000);
    BOOST_TEST(raw->written[0].find("LOGIN \"u\" \"p\\\"w\"") != std::string::npos);
    auto l = c.list();
    BOOST_TEST(l.uidValidity == "1700000001");
    BOOST_TEST_REQUIRE(l.messages.size() == 2u);
    BOOST_TEST(l.messages[0].uid == "7");
    BOOST_TEST(l.messages[0].size == 120u);
    BOOST_TEST(l.messages[1].uid == "9");
    BOOST_TEST(c.fetch("7") == kMail);
    BOOST_TEST(raw->written.back().find("UID FETCH 7 (UID BODY.PEEK[])") != std::string::npos);
    c.finish("7");
    BOOST_TEST(raw->written.back().find("UID MOVE 7 \"Done\"") != std::string::npos);
    c.quit();
}

BOOST_AUTO_TEST_CASE(imap_without_move_copies_flags_and_expunges_only_that_uid) {
    auto t = imapServer(false);
    auto* raw = t.get();
    for (int i = 0; i < 4; ++i) raw->replies.push_back("TAG OK\r\n");
    ImapClient c(std::move(t), "u", "p", "INBOX", "move:Done", 1000);
    c.finish("12");
    const auto n = raw->written.size();
    BOOST_TEST(raw->written[n - 3].find("UID COPY 12 \"Done\"") != std::string::npos);
    BOOST_TEST(raw->written[n - 2].find("UID STORE 12 +FLAGS.SILENT (\\Deleted)") != std::string::npos);
    BOOST_TEST(raw->written[n - 1].find("UID EXPUNGE 12") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(imap_refuses_a_literal_larger_than_the_message_limit) {
    auto t = imapServer(true);
    t->replies.push_back("* 1 FETCH (UID 7 BODY[] {99999999}\r\n");
    ImapClient c(std::move(t), "u", "p", "INBOX", "keep", 1000);
    BOOST_CHECK_THROW(c.fetch("7"), Poco::ProtocolException);
}

BOOST_AUTO_TEST_CASE(a_failed_login_never_shows_the_password) {
    auto t = std::make_unique<ScriptedTransport>("* OK ready\r\n");
    t->replies = {"TAG NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"};
    try {
        ImapClient c(std::move(t), "bob", "hunter2-secret", "INBOX", "keep", 1000);
        BOOST_FAIL("login should fail");
    } catch (const Poco::Exception& e) {
        BOOST_TEST(e.displayText().find("hunter2-secret") == std::string::npos);
        BOOST_TEST(e.displayText().find("AUTHENTICATIONFAILED") != std::string::npos);
    }
}

namespace {

// A mailbox in memory: what the poller did to it, in order.
class FakeMailbox : public MailboxClient {
public:
    std::map<std::string, std::string> messages;   // uid -> raw
    std::vector<std::string> log;
    std::string failFetch;
    Listing list() override {
        Listing l{"v1", {}};
        for (const auto& [uid, raw] : messages) l.messages.push_back({uid, raw.size()});
        return l;
    }
    std::string fetch(const std::string& uid) override {
        log.push_back("fetch " + uid);
        if (uid == failFetch) throw Poco::IOException("connection reset");
        return messages.at(uid);
    }
    void finish(const std::string& uid) override { log.push_back("finish " + uid); }
    void quit() override { log.push_back("quit"); }
};

struct PollWorld {
    services::Context ctx;
    std::int64_t creditorId = 0, mailboxId = 0;
    explicit PollWorld(TestStore& s) {
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = std::make_shared<services::FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));
        services::CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.email = "boekhouding@voorbeeld.example";
        in.settings.iban = "BE68539007547034";
        creditorId = services::addCreditor(ctx, in).id;
        ::setenv("DUEGATE_TEST_MAILBOX_PW", "pw", 1);
        mailboxId = services::addMailbox(ctx, {creditorId, "pop3://inv@pop.example", std::nullopt,
                                               std::string("DUEGATE_TEST_MAILBOX_PW"), "delete"});
    }
};

std::string mail(int i) {
    return "From: boekhouding@voorbeeld.example\r\nMessage-ID: <m" + std::to_string(i) +
           "@voorbeeld.example>\r\nSubject: " + std::to_string(i) + "\r\n\r\nbody\r\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_poller_finishes_a_message_only_after_it_was_stored_and_remembers_it) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        FakeMailbox box;
        box.messages = {{"a", mail(1)}, {"b", mail(2)}};
        MailboxPoller direct(w.ctx, {}, [&](auto&, auto&, auto& pw) {
            BOOST_TEST(pw == "pw");
            struct Ref : MailboxClient {
                FakeMailbox& b;
                explicit Ref(FakeMailbox& x) : b(x) {}
                Listing list() override { return b.list(); }
                std::string fetch(const std::string& u) override { return b.fetch(u); }
                void finish(const std::string& u) override { b.finish(u); }
                void quit() override { b.quit(); }
            };
            return std::unique_ptr<MailboxClient>(new Ref(box));
        });
        auto st = direct.pollOnce();
        BOOST_TEST(st.fetched == 2u);
        BOOST_TEST((box.log == std::vector<std::string>{"fetch a", "finish a", "fetch b", "finish b", "quit"}));
        BOOST_TEST(services::fetchedUids(w.ctx, services::listMailboxes(w.ctx, w.creditorId).at(0), "v1").size() == 2u);
        // The server did not apply the deletions (no QUIT reached it): the next poll only finishes.
        box.log.clear();
        st = direct.pollOnce();
        BOOST_TEST(st.fetched == 0u);
        BOOST_TEST((box.log == std::vector<std::string>{"finish a", "finish b", "quit"}));
    });
}

BOOST_AUTO_TEST_CASE(a_fetch_that_fails_leaves_the_message_unfinished_and_unremembered) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        FakeMailbox box;
        box.messages = {{"a", mail(1)}, {"b", mail(2)}};
        box.failFetch = "b";
        MailboxPoller poller(w.ctx, {}, [&](auto&, auto&, auto&) {
            struct Ref : MailboxClient {
                FakeMailbox& b;
                explicit Ref(FakeMailbox& x) : b(x) {}
                Listing list() override { return b.list(); }
                std::string fetch(const std::string& u) override { return b.fetch(u); }
                void finish(const std::string& u) override { b.finish(u); }
                void quit() override { b.quit(); }
            };
            return std::unique_ptr<MailboxClient>(new Ref(box));
        });
        auto st = poller.pollOnce();
        BOOST_TEST(st.failedMailboxes == 1u);
        BOOST_TEST((box.log == std::vector<std::string>{"fetch a", "finish a", "fetch b"}));
        const auto uids = services::fetchedUids(w.ctx, services::listMailboxes(w.ctx, w.creditorId).at(0), "v1");
        BOOST_TEST(uids.count("a") == 1u);
        BOOST_TEST(uids.count("b") == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_mail_that_came_by_smtp_and_by_the_mailbox_is_one_item) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        const auto bySmtp = services::receiveMail(w.ctx, "boekhouding@voorbeeld.example",
                                                  {"invoices@voorbeeld.in.example"}, mail(1), "127.0.0.1:1");
        const auto m = services::listMailboxes(w.ctx, w.creditorId).at(0);
        const auto polled = services::receivePolledMail(w.ctx, m, "", "uidl-1", mail(1), "pop3://pop.example:110");
        BOOST_TEST(polled.duplicate);
        BOOST_TEST(polled.itemId == bySmtp.itemIds.at(0));
    });
}

BOOST_AUTO_TEST_CASE(addmailbox_refuses_bad_combinations) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        using services::InputError;
        BOOST_CHECK_THROW(services::addMailbox(w.ctx, {w.creditorId, "imap://u@h", std::nullopt, std::string("X"), "delete"}),
                          InputError);
        BOOST_CHECK_THROW(services::addMailbox(w.ctx, {w.creditorId, "pop3://u@h", std::nullopt, std::string("X"), "move:A"}),
                          InputError);
        BOOST_CHECK_THROW(services::addMailbox(w.ctx, {w.creditorId, "pop3://u@h", std::nullopt, std::nullopt, ""}),
                          InputError);
        BOOST_CHECK_THROW(
            services::addMailbox(w.ctx, {w.creditorId, "pop3://inv@pop.example", std::nullopt, std::string("X"), ""}),
            InputError);   // the same URL twice
        BOOST_CHECK_THROW(services::addMailbox(w.ctx, {w.creditorId + 99, "pop3://u@h", std::nullopt, std::string("X"), ""}),
                          services::NotFound);
    });
}

BOOST_AUTO_TEST_CASE(the_daily_quota_defers_a_recipient_at_the_limit_and_takes_one_below_it) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        IntakeSink sink(w.ctx, {}, IntakeQuota{2, 0});
        BOOST_TEST((sink.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::Accept));
        Envelope env{"c", "127.0.0.1:1", "boekhouding@voorbeeld.example", {"invoices@voorbeeld.in.example"}};
        BOOST_TEST(sink.deliver(env, mail(1)).stored);
        BOOST_TEST((sink.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::Accept));
        BOOST_TEST(sink.deliver(env, mail(2)).stored);
        BOOST_TEST((sink.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::QuotaExceeded));
        IntakeSink bytes(w.ctx, {}, IntakeQuota{0, 1});
        BOOST_TEST((bytes.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::QuotaExceeded));
        BOOST_TEST((bytes.checkRecipient("nobody@voorbeeld.in.example") == MailSink::RecipientVerdict::UnknownRecipient));
    });
}

BOOST_AUTO_TEST_CASE(rcpt_remembers_a_found_intake_address_but_never_an_unknown_one) {
    forEachBackend([](TestStore& s) {
        PollWorld w(s);
        IntakeSink sink(w.ctx, {});
        std::size_t statements = 0;
        store::setStatementObserver([&](const std::string&, const std::vector<store::Value>&) { ++statements; });
        struct Off {
            ~Off() { store::setStatementObserver({}); }
        } off;
        BOOST_TEST((sink.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::Accept));
        BOOST_TEST(statements > 0u);
        statements = 0;
        BOOST_TEST((sink.checkRecipient("invoices@voorbeeld.in.example") == MailSink::RecipientVerdict::Accept));
        BOOST_TEST(statements == 0u);   // the next mail of the session asks no database
        // Not found is asked again every time: an address added a moment later is accepted at once.
        BOOST_TEST((sink.checkRecipient("later@voorbeeld.in.example") == MailSink::RecipientVerdict::UnknownRecipient));
        services::CreditorInput in{"Later", "later@voorbeeld.in.example", {}};
        services::addCreditor(w.ctx, in);
        BOOST_TEST((sink.checkRecipient("later@voorbeeld.in.example") == MailSink::RecipientVerdict::Accept));
    });
}

BOOST_AUTO_TEST_SUITE_END()
