// Every channel delivers and every answer comes home: reply addresses on reminders, replies and
// auto-replies and bounces threaded back, the fallback email -> SMS -> letter -> task, Twilio status
// callbacks and inbound SMS with STOP, letters to the print folder.
#include "channels/MailChannel.h"
#include "channels/SmsChannel.h"
#include "channels/SmsSegments.h"
#include "channels/letter/PrintProvider.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/ChannelFollowUp.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/ReplyAddress.h"
#include "gateway/services/ReplyService.h"
#include "gateway/services/SmsHookService.h"
#include "store/ContactRepository.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

class RecordingMail : public channels::MailChannel {
public:
    std::vector<channels::OutboundMail> sent;
    channels::DeliveryResult send(const channels::OutboundMail& m) override {
        sent.push_back(m);
        return channels::Delivered{"250 ok"};
    }
};

class RecordingSms : public channels::SmsChannel {
public:
    std::vector<channels::OutboundSms> sent;
    channels::DeliveryResult next = channels::Delivered{"SM0001"};
    channels::DeliveryResult send(const channels::OutboundSms& m) override {
        sent.push_back(m);
        return next;
    }
};

struct World {
    Context ctx;
    std::int64_t creditorId = 0, debtorId = 0, dossierId = 0;
    RecordingMail mail;
    RecordingSms sms;
    std::string printDir;
    std::unique_ptr<channels::PrintFolder> print;

    explicit World(TestStore& s, bool withAddress = true) {
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));  // 2026-01-05
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        ctx.settings.replyDomain = "reply.duegate.example";
        ctx.settings.smsEnabled = true;
        ctx.settings.agencyName = "Incasso Agency";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.iban = "BE68539007547034";
        creditorId = addCreditor(ctx, in).id;
        printDir = s.dir + "/print";
        print = std::make_unique<channels::PrintFolder>(printDir);
        ctx.db->transaction([&](store::Tx& tx) {
            store::DebtorRecord d;
            d.creditorId = creditorId;
            d.matchKey = "jan@example.be";
            d.name = "Jan Peeters";
            d.email = "jan@example.be";
            d.phone = "0470 12 34 56";
            if (withAddress) {
                d.street = "Kerkstraat 12";
                d.postcode = "2000";
                d.city = "Antwerpen";
            }
            d.country = "BE";
            debtorId = store::dossiers::upsertDebtor(tx, d, ctx.now());
            store::DossierRecord r;
            r.creditorId = creditorId;
            r.debtorId = debtorId;
            r.reference = "D2026-000001";
            r.status = "active";
            r.currency = "EUR";
            r.openMinor = 123456;
            r.ogm = "123456789002";
            r.payeeName = "Brouwerij Voorbeeld";
            r.payeeIban = "BE68539007547034";
            r.paymentReference = "+++123/4567/89002+++";
            r.createdAt = r.updatedAt = ctx.now();
            dossierId = store::dossiers::insertDossier(tx, r);
        });
    }

    std::int64_t queue(const std::string& channel, const std::string& recipient, const std::string& key) {
        return ctx.db->transaction([&](store::Tx& tx) {
            QueuedMessage q;
            q.creditorId = creditorId;
            q.dossierId = dossierId;
            q.dedupeKey = key;
            q.channel = channel;
            q.purpose = "reminder";
            q.recipient = recipient;
            q.subject = "Herinnering D2026-000001";
            q.body = "Beste Jan,\nU heeft nog 1.234,56 EUR open.";
            return *queueMessage(ctx, tx, q);
        });
    }
    DispatchStats dispatch() {
        ChannelSet set;
        set.mail = &mail;
        set.sms = &sms;
        set.print = print.get();
        return dispatchDue(ctx, set, DispatchPolicy{});
    }
    store::OutboundMessageRecord message(std::int64_t id) {
        return *ctx.db->transaction([&](store::Tx& tx) { return store::outbox::byId(tx, id); });
    }
    std::vector<store::OutboundMessageRecord> messages() {
        return ctx.db->transaction([&](store::Tx& tx) { return store::outbox::forDossier(tx, dossierId); });
    }
    std::vector<store::EventRecord> events(const std::string& kind) {
        std::vector<store::EventRecord> out;
        for (auto& e : ctx.db->transaction([&](store::Tx& tx) { return store::events::forDossier(tx, {}, dossierId); }))
            if (e.kind == kind) out.push_back(e);
        return out;
    }
    std::vector<store::TaskRecord> tasks(const std::string& kind) {
        return ctx.db->transaction([&](store::Tx& tx) {
            store::tasks::Filter f;
            f.kind = kind;
            return store::tasks::list(tx, std::nullopt, f);
        });
    }
    bool paused() {
        return ctx.db->transaction([&](store::Tx& tx) { return isPaused(ctx, tx, dossierId, civilDate(ctx)); });
    }
};

std::string replyMail(const std::string& extraHeaders, const std::string& subject) {
    return "From: Jan Peeters <jan@example.be>\r\nTo: r@reply.duegate.example\r\nSubject: " + subject +
           "\r\nMessage-ID: <" + subject.substr(0, 3) + "-r1@example.be>\r\n" + extraHeaders +
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nIk heb vorige week betaald, zie bijlage.\r\n--b1\r\n"
           "Content-Type: application/pdf; name=\"bewijs.pdf\"\r\nContent-Disposition: attachment; "
           "filename=\"bewijs.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n";
}

std::string dsnMail(const std::string& originalId) {
    return "From: Mail Delivery System <MAILER-DAEMON@mx.example.be>\r\nTo: r@reply.duegate.example\r\n"
           "Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.be>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\r\n\r\n--r1\r\n"
           "Content-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message could not be delivered."
           "\r\n--r1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.be\r\n\r\n"
           "Final-Recipient: rfc822; jan@example.be\r\nAction: failed\r\nStatus: 5.1.1\r\n"
           "Diagnostic-Code: smtp; 550 5.1.1 <jan@example.be>: Recipient address rejected: User unknown\r\n\r\n--r1\r\n"
           "Content-Type: text/rfc822-headers\r\n\r\nMessage-ID: " + originalId + "\r\nSubject: Herinnering\r\n\r\n--r1--\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(channels_home)

BOOST_AUTO_TEST_CASE(reply_address_tokens_are_signed_and_case_insensitive) {
    const std::string secret = "s3cret";
    const auto a = replyAddress(secret, "Reply.Example", 42);
    BOOST_TEST(a.rfind("r+42-", 0) == 0u);
    BOOST_TEST(a.size() < 40u);
    BOOST_TEST(parseReplyAddress(secret, "reply.example", a).value_or(0) == 42);
    std::string upper = a;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    BOOST_TEST(parseReplyAddress(secret, "reply.example", upper).value_or(0) == 42);
    std::string forged = a;
    forged.replace(3, 2, "43");
    BOOST_TEST(!parseReplyAddress(secret, "reply.example", forged));
    BOOST_TEST(!parseReplyAddress("other", "reply.example", a));
    BOOST_TEST(!parseReplyAddress(secret, "other.example", a));  // only the configured domain
    BOOST_TEST(!parseReplyAddress(secret, "", a));
    BOOST_TEST(!parseReplyAddress(secret, "reply.example", "invoices@reply.example"));
}

BOOST_AUTO_TEST_CASE(a_reminder_carries_its_reply_address_and_a_reply_comes_home) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("email", "jan@example.be", "reminder:1");
        BOOST_TEST(w.dispatch().sent == 1u);
        BOOST_TEST_REQUIRE(w.mail.sent.size() == 1u);
        const auto expected = replyAddress(w.ctx.settings.linkSecret, "reply.duegate.example", id);
        BOOST_TEST(w.mail.sent[0].returnPath == expected);
        bool hasReplyTo = false;
        for (const auto& [k, v] : w.mail.sent[0].extraHeaders) hasReplyTo = hasReplyTo || (k == "Reply-To" && v == expected);
        BOOST_TEST(hasReplyTo);
        BOOST_TEST(replyTarget(w.ctx, expected).value_or(0) == id);
        BOOST_TEST(!replyTarget(w.ctx, "r+999-aaaaaaaaaaaaa@reply.duegate.example"));

        const auto raw = replyMail("", "Re: Herinnering D2026-000001");
        const auto r = receiveReply(w.ctx, id, "jan@example.be", expected, raw, "127.0.0.1:1");
        BOOST_TEST((r.kind == ReplyKind::Reply));
        const auto ev = w.events("reply_received");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("jan@example.be") != std::string::npos);
        BOOST_TEST(ev[0].summary.find("Ik heb vorige week betaald") != std::string::npos, ev[0].summary);
        BOOST_TEST(ev[0].data->find("bewijs.pdf") != std::string::npos);
        BOOST_TEST(ev[0].data->find("Ik heb vorige week betaald") != std::string::npos);
        BOOST_TEST(w.tasks("reply").size() == 1u);
        BOOST_TEST(w.paused());
        // The same mail again changes nothing.
        BOOST_TEST(receiveReply(w.ctx, id, "jan@example.be", expected, raw, "127.0.0.1:1").duplicate);
        BOOST_TEST(w.events("reply_received").size() == 1u);
        BOOST_TEST(w.tasks("reply").size() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(an_auto_reply_is_recorded_without_task_or_pause) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("email", "jan@example.be", "reminder:1");
        w.dispatch();
        const auto r = receiveReply(w.ctx, id, "jan@example.be", "x", replyMail("Auto-Submitted: auto-replied\r\n",
                                                                                 "Out of office"),
                                    "");
        BOOST_TEST((r.kind == ReplyKind::AutoReply));
        BOOST_TEST(w.events("reply_received").size() == 1u);
        BOOST_TEST(w.events("reply_received")[0].data->find("\"auto\":true") != std::string::npos);
        BOOST_TEST(w.tasks("reply").empty());
        BOOST_TEST(!w.paused());
        const auto r2 = receiveReply(w.ctx, id, "jan@example.be", "x", replyMail("", "Afwezigheidsbericht: afwezig tot 12/1"),
                                     "");
        BOOST_TEST((r2.kind == ReplyKind::AutoReply));
    });
}

BOOST_AUTO_TEST_CASE(a_bounce_falls_back_to_sms_then_a_failed_sms_to_a_letter) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("email", "jan@example.be", "reminder:1");
        w.dispatch();
        const auto r = receiveReply(w.ctx, id, "", "x", dsnMail(*w.message(id).messageId), "");
        BOOST_TEST((r.kind == ReplyKind::Bounce));
        BOOST_TEST(r.fallback == "sms");
        BOOST_TEST(w.message(id).state == "bounced");
        BOOST_TEST(w.events("message_bounced").size() == 1u);
        BOOST_TEST(w.events("message_bounced")[0].summary.find("5.1.1") != std::string::npos);
        // The SMS goes out, normalised to E.164, within two segments.
        BOOST_TEST(w.dispatch().sent == 1u);
        BOOST_TEST_REQUIRE(w.sms.sent.size() == 1u);
        BOOST_TEST(w.sms.sent[0].to == "+32470123456");
        BOOST_TEST(w.sms.sent[0].body.find("/d/") != std::string::npos, w.sms.sent[0].body);  // the debtor's link
        BOOST_TEST(channels::countSmsSegments(w.sms.sent[0].body).segments <= 2u);
        auto all = w.messages();
        BOOST_TEST_REQUIRE(all.size() == 2u);
        BOOST_TEST(all[1].channel == "sms");
        BOOST_TEST(all[1].state == "sent");
        // Twilio says undelivered: failed with the code, and a letter is queued and printed.
        BOOST_TEST(applyTwilioStatus(w.ctx, {{"MessageSid", "SM0001"}, {"MessageStatus", "undelivered"},
                                             {"ErrorCode", "30003"}}) == "applied");
        BOOST_TEST(w.message(all[1].id).state == "failed");
        BOOST_TEST(w.events("message_failed").back().summary.find("30003") != std::string::npos);
        BOOST_TEST(w.dispatch().sent == 1u);
        all = w.messages();
        BOOST_TEST_REQUIRE(all.size() == 3u);
        BOOST_TEST(all[2].channel == "letter");
        BOOST_TEST(all[2].state == "sent");
        BOOST_TEST(std::filesystem::exists(w.printDir + "/2026-01-05/D2026-000001-" + std::to_string(all[2].id) + ".pdf"));
        BOOST_TEST(std::filesystem::exists(w.printDir + "/2026-01-05/manifest.csv"));
        // A second report for the same message queues nothing new.
        receiveReply(w.ctx, id, "", "x", dsnMail("<other@x>") + " ", "");
        BOOST_TEST(w.messages().size() == 3u);
    });
}

BOOST_AUTO_TEST_CASE(without_phone_or_address_a_bounce_makes_a_task) {
    forEachBackend([](TestStore& s) {
        World w(s, false);
        w.ctx.settings.smsEnabled = false;
        const auto id = w.queue("email", "jan@example.be", "reminder:1");
        w.dispatch();
        BOOST_TEST(receiveReply(w.ctx, id, "", "x", dsnMail("<a@b>"), "").fallback == "task");
        BOOST_TEST(w.tasks("bounce").size() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(delivered_status_and_stop_switch_sms_off) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("sms", "+32 470 12 34 56", "reminder:sms:1");
        w.dispatch();
        BOOST_TEST(applyTwilioStatus(w.ctx, {{"MessageSid", "SM0001"}, {"MessageStatus", "sent"}}) == "ignored");
        BOOST_TEST(applyTwilioStatus(w.ctx, {{"MessageSid", "SM0001"}, {"MessageStatus", "delivered"}}) == "applied");
        BOOST_TEST(w.message(id).state == "delivered");
        BOOST_TEST(w.events("message_delivered").size() == 1u);
        BOOST_TEST(applyTwilioStatus(w.ctx, {{"MessageSid", "SMnone"}, {"MessageStatus", "delivered"}}) == "unknown");

        // An inbound SMS from that number threads to the dossier.
        BOOST_TEST(receiveInboundSms(w.ctx, {{"From", "+32470123456"}, {"Body", "Ik betaal vrijdag"},
                                             {"MessageSid", "SMin1"}},
                                     "From=%2B32470123456&Body=Ik+betaal+vrijdag") == "threaded");
        BOOST_TEST(w.events("reply_received").size() == 1u);
        BOOST_TEST(w.tasks("reply").size() == 1u);
        BOOST_TEST(receiveInboundSms(w.ctx, {{"From", "+32499999999"}, {"Body", "hallo"}, {"MessageSid", "SMin2"}},
                                     "x") == "unknown");
        // STOP: SMS off; the next SMS row is not sent but falls back to a letter.
        BOOST_TEST(receiveInboundSms(w.ctx, {{"From", "+32470123456"}, {"Body", " stop "}, {"MessageSid", "SMin3"}},
                                     "y") == "stop");
        const auto next = w.queue("sms", "+32470123456", "reminder:sms:2");
        w.dispatch();
        BOOST_TEST(w.sms.sent.size() == 1u);
        BOOST_TEST(w.message(next).state == "failed");
        BOOST_TEST(w.messages().back().channel == "letter");
    });
}

BOOST_AUTO_TEST_CASE(an_sms_whose_answer_was_lost_is_not_resent_nor_doubled_by_a_fallback) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.sms.next = channels::Unknown{"twilio: state unknown: Operation timed out"};
        const auto id = w.queue("sms", "+32470123456", "reminder:sms:1");
        w.dispatch();
        BOOST_TEST(w.message(id).state == "unknown");   // parked for review
        BOOST_TEST(w.tasks("outbox_review").size() == 1u);
        BOOST_TEST(w.message(id).lastError.value_or("").find("not resent") != std::string::npos);
        BOOST_TEST(w.messages().size() == 1u);
        BOOST_TEST(w.dispatch().sent + w.dispatch().failed == 0u);
        BOOST_TEST(w.sms.sent.size() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(an_sms_from_a_number_with_two_open_dossiers_makes_a_task_for_a_person) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.db->transaction([&](store::Tx& tx) {
            store::DossierRecord r = *store::dossiers::dossier(tx, std::nullopt, w.dossierId);
            r.reference = "D2026-000002";
            store::dossiers::insertDossier(tx, r);
        });
        BOOST_TEST(receiveInboundSms(w.ctx, {{"From", "0032470123456"}, {"Body", "Welke factuur?"},
                                             {"MessageSid", "SMamb"}},
                                     "From=0032470123456&Body=Welke+factuur%3F") == "ambiguous");
        const auto t = w.tasks("reply");
        BOOST_TEST_REQUIRE(t.size() == 1u);
        BOOST_TEST(!t[0].dossierId.has_value());
        BOOST_TEST(t[0].title.find("D2026-000001, D2026-000002") != std::string::npos, t[0].title);
        BOOST_TEST(w.events("reply_received").empty());
        BOOST_TEST(!w.paused());
    });
}

BOOST_AUTO_TEST_CASE(twilio_21610_on_send_switches_sms_off) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.sms.next = channels::Failed{"twilio 21610: Attempt to send to unsubscribed recipient (HTTP 400)"};
        w.queue("sms", "+32470123456", "reminder:sms:1");
        w.dispatch();
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) { return store::contact::smsOff(tx, w.debtorId); }));
    });
}

BOOST_AUTO_TEST_CASE(a_letter_shows_interest_and_costs_with_their_basis_and_is_kept_as_a_document) {
    auto store = duegate::testing::makeStore("sqlite");
    World w(*store);
    const auto id = w.ctx.db->transaction([&](store::Tx& tx) {
        QueuedMessage q;
        q.creditorId = w.creditorId;
        q.dossierId = w.dossierId;
        q.dedupeKey = "reminder:letter:1";
        q.channel = "letter";
        q.purpose = "reminder";
        q.recipient = "Jan Peeters";
        q.subject = "Ingebrekestelling D2026-000001";
        q.body = "Beste Jan,\n\nOndanks onze herinneringen blijft de factuur onbetaald.";
        q.amounts = {{"Interest 12,5 % vanaf 2025-12-01", core::Money::eur(1234), "Art. 5 Wet 2 augustus 2002"},
                     {"Forfaitaire vergoeding", core::Money::eur(4000), "Art. 6 Wet 2 augustus 2002"}};
        return *queueMessage(w.ctx, tx, q);
    });
    BOOST_TEST(w.dispatch().sent == 1u);
    const std::string pdf = w.printDir + "/2026-01-05/D2026-000001-" + std::to_string(id) + ".pdf";
    BOOST_TEST_REQUIRE(std::filesystem::exists(pdf));
    std::string text;
    if (FILE* p = ::popen(("pdftotext -layout " + pdf + " -").c_str(), "r")) {
        char buf[4096];
        while (auto n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
        ::pclose(p);
    }
    BOOST_TEST(text.find("Jan Peeters") != std::string::npos, text);
    BOOST_TEST(text.find("Kerkstraat 12") != std::string::npos);
    BOOST_TEST(text.find("Art. 5 Wet 2 augustus 2002") != std::string::npos);
    BOOST_TEST(text.find("12,34 \xe2\x82\xac") != std::string::npos);
    BOOST_TEST(text.find("1.286,90 \xe2\x82\xac") != std::string::npos);  // 1.234,56 + 12,34 + 40,00
    BOOST_TEST(text.find("+++123/4567/89002+++") != std::string::npos);
    const auto m = w.message(id);
    BOOST_TEST(m.state == "sent");
    BOOST_TEST(m.providerId.value_or("") == pdf);
}

BOOST_AUTO_TEST_SUITE_END()
