#include "channels/MailChannel.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/IngestService.h"
#include "gateway/services/IntakeService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/States.h"
#include "gateway/services/TaskService.h"
#include "parsers/refs/Ogm.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"
#include "store/Time.h"
#include "tests/support/MailBuilder.h"
#include "tests/support/TestStores.h"

#include <boost/test/unit_test.hpp>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::buildMail;
using duegate::testing::forEachBackend;
using duegate::testing::TestAttachment;
using duegate::testing::TestStore;

namespace {

const std::string kUbl = duegate::testing::readFile(DUEGATE_SOURCE_DIR "/fixtures/intake/peppol-invoice-F2026-0042.xml");

struct World {
    Context ctx;
    std::shared_ptr<FixedClock> clock;
    std::int64_t creditorId = 0;

    explicit World(TestStore& s) {
        clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));  // 2026-01-05 09:00 UTC
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = clock;
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        ctx.settings.baseUrl = "http://portal.test";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.email = "boekhouding@voorbeeld.example";
        in.settings.iban = "BE68539007547034";
        creditorId = addCreditor(ctx, in).id;
    }

    ReceivedMail send(const std::string& raw) {
        return receiveMail(ctx, "boekhouding@voorbeeld.example", {"Invoices@Voorbeeld.in.example"}, raw, "127.0.0.1:1");
    }
};

class RecordingChannel : public channels::MailChannel {
public:
    std::vector<channels::OutboundMail> sent;
    channels::DeliveryResult next = channels::Delivered{"250 ok"};
    channels::DeliveryResult send(const channels::OutboundMail& m) override {
        sent.push_back(m);
        return next;
    }
};

std::vector<store::OutboundMessageRecord> outboxOf(World& w) {
    return w.ctx.db->transaction([](store::Tx& tx) {
        auto planned = store::outbox::inState(tx, "planned", 100);
        auto sent = store::outbox::inState(tx, "sent", 100);
        planned.insert(planned.end(), sent.begin(), sent.end());
        return planned;
    });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ingest)

BOOST_AUTO_TEST_CASE(an_invoice_mail_becomes_a_dossier_with_events_a_notice_and_an_ack) {
    forEachBackend([](TestStore& s) {
        World w(s);
        auto r = w.send(buildMail("Boekhouding <boekhouding@voorbeeld.example>", "invoices@voorbeeld.in.example",
                                  "Factuur F2026-0042", "<f42@voorbeeld.example>",
                                  {{"F2026-0042.xml", "application/xml", kUbl}}));
        BOOST_TEST(r.itemIds.size() == 1u);
        BOOST_TEST(!r.duplicate);
        const auto stats = processPending(w.ctx);
        for (const auto& q : quarantinedItems(w.ctx, Principal{}))
            BOOST_TEST_MESSAGE("quarantined: " << q.error.value_or(""));
        BOOST_TEST(stats.applied == 1u);
        BOOST_TEST(stats.quarantined == 0u);

        const Principal creditor{w.creditorId, std::nullopt, "c"};
        const auto list = listDossiers(w.ctx, creditor);
        BOOST_TEST_REQUIRE(list.size() == 1u);
        const auto& d = list[0];
        BOOST_TEST(d.dossier.reference == "D2026-000001");
        BOOST_TEST(d.dossier.status == "active");
        BOOST_TEST(d.dossier.openMinor == 123450);
        BOOST_TEST(d.debtor.name == "Café De Hoek");
        BOOST_TEST(d.debtor.email.value_or("") == "els@dehoek.example");
        BOOST_TEST(d.debtor.kind == "business");
        BOOST_TEST_REQUIRE(d.invoices.size() == 1u);
        BOOST_TEST(d.invoices[0].number == "F2026-0042");
        BOOST_TEST(d.invoices[0].dueDate.value_or("") == "2026-02-04");
        BOOST_TEST(d.invoices[0].paymentReference.value_or("") == "202500012390");

        const auto detail = dossierDetail(w.ctx, creditor, d.dossier.id);
        std::vector<std::string> kinds;
        for (const auto& e : detail->events) kinds.push_back(e.kind);
        BOOST_TEST((kinds == std::vector<std::string>{"invoice_received", "dossier_created", "message_queued"}));

        const auto out = outboxOf(w);
        BOOST_TEST_REQUIRE(out.size() == 2u);
        const auto& notice = out[0].purpose == "payment_notice" ? out[0] : out[1];
        const auto& ack = out[0].purpose == "ack" ? out[0] : out[1];
        BOOST_TEST(notice.recipient == "els@dehoek.example");
        BOOST_TEST(notice.body.find("http://portal.test/d/") != std::string::npos);
        BOOST_TEST(notice.body.find("+++202/5000/12390+++") != std::string::npos);
        BOOST_TEST(notice.body.find("1.234,50\xC2\xA0\xE2\x82\xAC") != std::string::npos);  // Brugge: Dutch amounts
        BOOST_TEST(ack.recipient == "boekhouding@voorbeeld.example");
        BOOST_TEST(ack.body.find("D2026-000001") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_same_message_delivered_twice_creates_one_dossier) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto raw = buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "Factuur",
                                   "<same@voorbeeld.example>", {{"F.xml", "application/xml", kUbl}});
        w.send(raw);
        BOOST_TEST(w.send(raw).duplicate);
        processPending(w.ctx);
        // Sent again later by another route (other bytes, other Message-ID): the invoice number decides.
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "Fwd: Factuur",
                         "<other@voorbeeld.example>", {{"F.xml", "application/xml", kUbl}}));
        processPending(w.ctx);
        BOOST_TEST(listDossiers(w.ctx, Principal{w.creditorId, std::nullopt, ""}).size() == 1u);
        const auto acks = outboxOf(w);
        bool saidDuplicate = false;
        for (const auto& m : acks)
            saidDuplicate = saidDuplicate || m.body.find("was received before") != std::string::npos;
        BOOST_TEST(saidDuplicate);
    });
}

// A forwarded mail attached by name ("original message.eml") is listed among the attachments whole,
// and its UBL (plain 8-bit XML, so the namespace sits in the .eml's first bytes too) as a part of
// its own: the invoice is found once, one dossier, one invoice, nothing quarantined.
BOOST_AUTO_TEST_CASE(a_ubl_inside_a_named_forwarded_message_is_applied_once) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string forwarded =
            "From: facturatie@janssens.example\r\nTo: boekhouding@voorbeeld.example\r\nSubject: Factuur F2026-0042\r\n"
            "Message-ID: <orig-42@janssens.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
            "--inner\r\nContent-Type: application/xml; name=F2026-0042.xml\r\n"
            "Content-Disposition: attachment; filename=F2026-0042.xml\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
            kUbl + "\r\n--inner--\r\n";
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "Fwd: Factuur",
                         "<fwd-42@voorbeeld.example>", {{"original message.eml", "message/rfc822", forwarded}}));
        const auto stats = processPending(w.ctx);
        for (const auto& q : quarantinedItems(w.ctx, Principal{}))
            BOOST_TEST_MESSAGE("quarantined: " << q.error.value_or(""));
        BOOST_TEST(stats.applied == 1u);
        BOOST_TEST(stats.quarantined == 0u);
        const Principal creditor{w.creditorId, std::nullopt, "c"};
        const auto list = listDossiers(w.ctx, creditor);
        BOOST_TEST_REQUIRE(list.size() == 1u);
        BOOST_TEST(list[0].invoices.size() == 1u);
        BOOST_TEST(list[0].dossier.openMinor == 123450);
    });
}

BOOST_AUTO_TEST_CASE(an_unusable_mail_is_quarantined_with_a_reason_and_only_a_known_sender_hears_why) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "No attachment",
                         "<a1@x>", {}));
        w.send(buildMail("stranger@spam.example", "invoices@voorbeeld.in.example", "Broken", "<a2@x>",
                         {{"bad.xml", "application/xml", kUbl.substr(0, kUbl.size() / 2)}}));
        const auto stats = processPending(w.ctx);
        BOOST_TEST(stats.quarantined == 2u);
        const auto items = quarantinedItems(w.ctx, Principal{w.creditorId, std::nullopt, ""});
        BOOST_TEST_REQUIRE(items.size() == 2u);
        BOOST_TEST(items[0].error.value_or("").find("no attachment") != std::string::npos);
        // A stranger's mail is kept but never parsed for invoices, and never answered.
        BOOST_TEST(items[1].error.value_or("") == "sender not authorised: stranger@spam.example");
        const auto out = outboxOf(w);
        BOOST_TEST_REQUIRE(out.size() == 1u);  // the stranger gets nothing (no backscatter)
        BOOST_TEST(out[0].recipient == "boekhouding@voorbeeld.example");
        BOOST_TEST(out[0].purpose == "quarantine_reply");
        BOOST_TEST(out[0].body.find("no attachment") != std::string::npos);
        // The original is kept and can be reprocessed.
        reprocessItem(w.ctx, w.creditorId, items[0].id);
        BOOST_CHECK_THROW(reprocessItem(w.ctx, w.creditorId + 999, items[1].id), NotFound);
        BOOST_TEST(processPending(w.ctx).quarantined == 1u);
    });
}

BOOST_AUTO_TEST_CASE(the_dispatcher_sends_once_retries_with_backoff_and_dead_letters) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "F", "<d1@x>",
                         {{"F.xml", "application/xml", kUbl}}));
        processPending(w.ctx);
        RecordingChannel channel;
        DispatchPolicy policy;
        policy.maxAttempts = 2;
        channel.next = channels::Retry{"451 try later", 0};
        auto st = dispatchDue(w.ctx, channel, policy);
        BOOST_TEST(st.retried == 2u);
        BOOST_TEST(dispatchDue(w.ctx, channel, policy).retried == 0u);  // not due yet: backoff
        w.clock->advanceSeconds(3600);
        channel.next = channels::Delivered{"250 queued"};
        st = dispatchDue(w.ctx, channel, policy);
        BOOST_TEST(st.sent == 2u);
        BOOST_TEST(channel.sent.size() == 4u);
        BOOST_TEST(dispatchDue(w.ctx, channel, policy).sent == 0u);  // never twice
        const auto d = listDossiers(w.ctx, Principal{w.creditorId, std::nullopt, ""}).at(0);
        bool sentEvent = false;
        const auto detail = dossierDetail(w.ctx, Principal{w.creditorId, std::nullopt, ""}, d.dossier.id);
        for (const auto& e : detail->events)
            sentEvent = sentEvent || e.kind == "message_sent";
        BOOST_TEST(sentEvent);
    });
}

BOOST_AUTO_TEST_CASE(backoff_doubles_is_capped_and_jittered_down_only) {
    DispatchPolicy p;
    p.initialBackoffS = 30;
    p.maxBackoffS = 3600;
    BOOST_TEST(backoffSeconds(1, p, 1.0) == 30u);
    BOOST_TEST(backoffSeconds(2, p, 1.0) == 60u);
    BOOST_TEST(backoffSeconds(20, p, 1.0) == 3600u);
    BOOST_TEST(backoffSeconds(20, p, 0.0) == 2700u);
}

BOOST_AUTO_TEST_CASE(a_debtor_link_opens_its_own_dossier_only_and_records_link_opened) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "F", "<l1@x>",
                         {{"F.xml", "application/xml", kUbl}}));
        processPending(w.ctx);
        const auto out = outboxOf(w);
        std::string token;
        for (const auto& m : out) {
            const auto p = m.body.find("http://portal.test/d/");
            if (p != std::string::npos) token = m.body.substr(p + 21, m.body.find('\n', p) - p - 21);
        }
        BOOST_TEST_REQUIRE(!token.empty());
        auto view = openDebtorLink(w.ctx, token, "test-agent");
        BOOST_TEST_REQUIRE(view.has_value());
        BOOST_TEST(view->summary.invoices.at(0).number == "F2026-0042");
        BOOST_TEST(view->paymentReference == "+++202/5000/12390+++");
        std::string tampered = token;
        tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
        BOOST_TEST(!openDebtorLink(w.ctx, tampered, "").has_value());
        BOOST_TEST(!openDebtorLink(w.ctx, "1.2.3", "").has_value());
        BOOST_TEST(!openDebtorLink(w.ctx, "", "").has_value());
        w.clock->advanceSeconds(200L * 86400);  // past the validity
        BOOST_TEST(!openDebtorLink(w.ctx, token, "").has_value());
        int opened = 0;
        const auto detail = dossierDetail(w.ctx, Principal{}, view->summary.dossier.id);
        for (const auto& e : detail->events)
            opened += e.kind == "link_opened";
        BOOST_TEST(opened == 1);
    });
}

BOOST_AUTO_TEST_CASE(state_transitions_are_listed_in_one_place) {
    BOOST_TEST(canTransition(Machine::InboundItem, "received", "applied"));
    BOOST_TEST(canTransition(Machine::InboundItem, "quarantined", "received"));
    BOOST_TEST(!canTransition(Machine::InboundItem, "applied", "received"));
    BOOST_TEST(canTransition(Machine::OutboundMessage, "sending", "planned"));
    BOOST_TEST(!canTransition(Machine::OutboundMessage, "sent", "planned"));
    BOOST_TEST(!canTransition(Machine::Dossier, "closed", "active"));
    BOOST_CHECK_THROW(requireTransition(Machine::OutboundMessage, "failed", "sending"), std::logic_error);
}

// Trust (intake issue, item 5): senders, domains, and a payee IBAN the creditor never registered.

BOOST_AUTO_TEST_CASE(a_listed_domain_may_send_and_a_lookalike_domain_may_not) {
    forEachBackend([](TestStore& s) {
        World w(s);
        CreditorChanges ch;
        ch.senders = {"@Voorbeeld-Finance.example"};
        setCreditor(w.ctx, w.creditorId, ch);
        w.send(buildMail("Jan <jan@voorbeeld-finance.example>", "invoices@voorbeeld.in.example", "F42", "<d1@x>",
                         {{"F2026-0042.xml", "application/xml", kUbl}}));
        w.send(buildMail("jan@evil-voorbeeld-finance.example", "invoices@voorbeeld.in.example", "F42", "<d2@x>",
                         {{"F2026-0042.xml", "application/xml", kUbl}}));
        const auto stats = processPending(w.ctx);
        BOOST_TEST(stats.applied == 1u);
        BOOST_TEST(stats.quarantined == 1u);
        const auto q = quarantinedItems(w.ctx, Principal{w.creditorId, std::nullopt, ""});
        BOOST_TEST_REQUIRE(q.size() == 1u);
        BOOST_TEST(q[0].error.value_or("") == "sender not authorised: jan@evil-voorbeeld-finance.example");
        // Exactly one notice (to the debtor) and one ack (to the listed sender); nothing to the stranger.
        for (const auto& m : outboxOf(w)) BOOST_TEST(m.recipient != "jan@evil-voorbeeld-finance.example");
    });
}

BOOST_AUTO_TEST_CASE(an_invoice_asking_payment_to_an_unregistered_iban_is_held_and_never_mailed) {
    forEachBackend([](TestStore& s) {
        World w(s);
        std::string ubl = kUbl;
        const std::string good = "<cbc:ID>BE68539007547034</cbc:ID>";
        const auto at = ubl.find(good);
        BOOST_TEST_REQUIRE(at != std::string::npos);
        ubl.replace(at, good.size(), "<cbc:ID>BE71096123456769</cbc:ID>");  // valid IBAN, not the creditor's
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "F42", "<h1@x>",
                         {{"F2026-0042.xml", "application/xml", ubl}}));
        BOOST_TEST(processPending(w.ctx).applied == 1u);
        const auto list = listDossiers(w.ctx, Principal{w.creditorId, std::nullopt, ""});
        BOOST_TEST_REQUIRE(list.size() == 1u);
        BOOST_TEST(list[0].dossier.status == "draft");
        BOOST_TEST(list[0].dossier.holdReason.value_or("").find("BE71096123456769") != std::string::npos);
        const auto out = outboxOf(w);
        for (const auto& m : out) BOOST_TEST(m.purpose != "payment_notice");
        BOOST_TEST_REQUIRE(out.size() == 1u);  // the sender's ack says it is held
        BOOST_TEST(out[0].body.find("held for review") != std::string::npos);
        const auto tasks = w.ctx.db->transaction(
            [&](store::Tx& tx) { return store::tasks::list(tx, w.creditorId, store::tasks::Filter{}); });
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].kind == "review");
        BOOST_TEST(tasks[0].dossierId.value_or(0) == list[0].dossier.id);
        // A second pass over the same decision adds no second task (dedupe key).
        w.ctx.db->transaction([&](store::Tx& tx) {
            BOOST_TEST(!createTask(w.ctx, tx,
                                   TaskInput{w.creditorId, list[0].dossier.id, "review", "again", std::nullopt, 1, "",
                                             std::nullopt, "review:dossier:" + std::to_string(list[0].dossier.id)}));
        });
    });
}

BOOST_AUTO_TEST_CASE(the_dossier_fixes_its_payee_by_the_creditors_collection_mode) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.agencyName = "Incasso Agency";
        w.ctx.settings.agencyIban = "BE71096123456769";
        w.ctx.settings.agencyBic = "GKCCBEBB";
        // Creditor mode: the creditor's account and the invoice's own reference.
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "F42", "<m1@x>",
                         {{"F2026-0042.xml", "application/xml", kUbl}}));
        processPending(w.ctx);
        auto list = listDossiers(w.ctx, Principal{w.creditorId, std::nullopt, ""});
        BOOST_TEST_REQUIRE(list.size() == 1u);
        BOOST_TEST(list[0].dossier.payeeIban.value_or("") == "BE68539007547034");
        BOOST_TEST(list[0].dossier.paymentReference.value_or("") == "+++202/5000/12390+++");
        // Agency mode: the agency's client account and the dossier's own OGM, whatever the invoice says.
        CreditorChanges ch;
        ch.collectTo = "agency";
        setCreditor(w.ctx, w.creditorId, ch);
        std::string ubl = kUbl;
        ubl.replace(ubl.find("F2026-0042"), 10, "F2026-0043");
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "F43", "<m2@x>",
                         {{"F2026-0043.xml", "application/xml", ubl}}));
        processPending(w.ctx);
        list = listDossiers(w.ctx, Principal{w.creditorId, std::nullopt, ""});
        BOOST_TEST_REQUIRE(list.size() == 2u);
        const auto& d = list[1].dossier;
        BOOST_TEST(d.status == "active");
        BOOST_TEST(d.payeeName.value_or("") == "Incasso Agency");
        BOOST_TEST(d.payeeIban.value_or("") == "BE71096123456769");
        BOOST_TEST(d.paymentReference.value_or("") == parsers::refs::formatOgm(d.ogm.value_or("")));
        bool noticeSaysAgency = false;
        for (const auto& m : outboxOf(w))
            if (m.purpose == "payment_notice" && m.dossierId == d.id)
                noticeSaysAgency = m.body.find("BE71096123456769") != std::string::npos &&
                                   m.body.find(d.paymentReference.value_or("?")) != std::string::npos;
        BOOST_TEST(noticeSaysAgency);
    });
}

BOOST_AUTO_TEST_CASE(creditor_mode_needs_a_registered_iban_and_bad_settings_are_named) {
    forEachBackend([](TestStore& s) {
        World w(s);
        CreditorInput in{"No Bank BV", "nobank@in.example", {}};
        in.settings.collectTo = "creditor";
        BOOST_CHECK_EXCEPTION(addCreditor(w.ctx, in), InputError, [](const InputError& e) {
            return std::string(e.what()).find("no registered IBAN") != std::string::npos;
        });
        CreditorChanges bad;
        bad.senders = {"not an address"};
        BOOST_CHECK_THROW(setCreditor(w.ctx, w.creditorId, bad), InputError);
        BOOST_CHECK_THROW(setCreditor(w.ctx, 999999, CreditorChanges{}), NotFound);
    });
}

// Partial failure (issue 13): a worker that dies in the middle of an item.

BOOST_AUTO_TEST_CASE(an_item_whose_worker_keeps_dying_is_quarantined_after_the_attempts_and_blocks_nothing) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.ingestMaxAttempts = 3;
        w.ctx.settings.ingestLeaseSeconds = 60;
        const auto poison = w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "P",
                                             "<poison@x>", {{"F2026-0042.xml", "application/xml", kUbl}}));
        // A worker claims it and "crashes": the claim (attempt 1) was committed before the attempt.
        const auto claimed = w.ctx.db->transaction([&](store::Tx& tx) {
            return store::inbound::claim(tx, w.ctx.now(), "2026-01-05T09:01:00.000000Z", 10);
        });
        BOOST_TEST_REQUIRE(claimed.size() == 1u);
        BOOST_TEST(claimed[0].attempts == 1);
        // While the lease runs, no other worker takes it.
        BOOST_TEST(processPending(w.ctx).applied == 0u);
        // Two more crashes, each after the lease ran out.
        for (int i = 0; i < 2; ++i) {
            w.clock->advanceSeconds(61);
            const auto again = w.ctx.db->transaction([&](store::Tx& tx) {
                return store::inbound::claim(tx, w.ctx.now(),
                                             store::formatInstant(w.clock->now() + Poco::Timespan(60, 0)), 10);
            });
            BOOST_TEST_REQUIRE(again.size() == 1u);
        }
        // A healthy mail arrives meanwhile; the next pass applies it and gives the poison item up.
        w.send(buildMail("boekhouding@voorbeeld.example", "invoices@voorbeeld.in.example", "OK", "<ok@x>",
                         {{"F2026-0042.xml", "application/xml", kUbl}}));
        w.clock->advanceSeconds(61);
        const auto stats = processPending(w.ctx);
        BOOST_TEST(stats.applied == 1u);
        BOOST_TEST(stats.quarantined == 1u);
        const auto q = quarantinedItems(w.ctx, Principal{});
        BOOST_TEST_REQUIRE(q.size() == 1u);
        BOOST_TEST(q[0].id == poison.itemIds.at(0));
        BOOST_TEST(q[0].error.value_or("").find("gave up after 3 attempts") != std::string::npos);
        BOOST_TEST(w.ctx.blobs->get(q[0].sha256).has_value());  // the original is kept
        // After a fix, reprocess starts the count afresh and the item applies.
        reprocessItem(w.ctx, std::nullopt, q[0].id);
        BOOST_TEST(processPending(w.ctx).quarantined == 0u);
    });
}

BOOST_AUTO_TEST_SUITE_END()
