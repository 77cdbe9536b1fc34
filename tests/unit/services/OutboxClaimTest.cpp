// The outbox claims one message right before sending it, fences every later change with that
// claim, and parks a send whose outcome is unknown instead of resending it (issue 13): two
// dispatchers (two Database pools, as two processes) racing over one store, a late outcome after
// the claim was taken over, and a real SMTP peer on loopback that never answers the final dot.
#include "channels/MailChannel.h"
#include "channels/SmtpMailChannel.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/States.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"
#include "store/Time.h"
#include "tests/support/TestStores.h"
#include "tests/unit/channels/LoopbackPeers.h"

#include <boost/test/unit_test.hpp>

#include <functional>
#include <mutex>
#include <set>
#include <thread>

using namespace duegate;
using namespace duegate::services;
using duegate::testing::forEachBackend;
using duegate::testing::TestStore;

namespace {

// Records every mail it is asked to send (from any thread) and answers `next`; `during` runs in
// the middle of the send, for tests that change the world while a message is out.
class RecordingMail : public channels::MailChannel {
public:
    channels::DeliveryResult next = channels::Delivered{"250 2.0.0 queued"};
    std::function<void()> during;
    std::chrono::milliseconds pause{0};

    channels::DeliveryResult send(const channels::OutboundMail& m) override {
        if (pause.count() > 0) std::this_thread::sleep_for(pause);
        if (during) during();
        std::lock_guard lock(_mutex);
        _sent.push_back(m.messageId);
        return next;
    }
    std::vector<std::string> sent() {
        std::lock_guard lock(_mutex);
        return _sent;
    }

private:
    std::mutex _mutex;
    std::vector<std::string> _sent;
};

struct World {
    Context ctx;
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(Poco::Timestamp::fromEpochTime(1767603600));
    std::int64_t creditorId = 0, dossierId = 0;

    explicit World(TestStore& s) {
        ctx.db = s.db;
        ctx.blobs = std::shared_ptr<store::BlobStore>(s.blobs.get(), [](store::BlobStore*) {});
        ctx.clock = clock;
        ctx.settings.linkSecret = "0123456789abcdef0123456789abcdef";
        CreditorInput in{"Brouwerij Voorbeeld", "invoices@voorbeeld.in.example", {}};
        in.settings.iban = "BE68539007547034";
        creditorId = addCreditor(ctx, in).id;
        ctx.db->transaction([&](store::Tx& tx) {
            store::DebtorRecord d;
            d.creditorId = creditorId;
            d.matchKey = "jan@example.be";
            d.name = "Jan Peeters";
            d.email = "jan@example.be";
            d.country = "BE";
            const auto debtorId = store::dossiers::upsertDebtor(tx, d, ctx.now());
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
    std::int64_t queue(const std::string& key) {
        return ctx.db->transaction([&](store::Tx& tx) {
            QueuedMessage q;
            q.creditorId = creditorId;
            q.dossierId = dossierId;
            q.dedupeKey = key;
            q.purpose = "payment_notice";
            q.recipient = "jan@example.be";
            q.subject = "Betalingsherinnering D2026-000001";
            q.body = "Beste Jan,\nU heeft nog 1.234,56 EUR open.";
            return *queueMessage(ctx, tx, q);
        });
    }
    store::OutboundMessageRecord message(std::int64_t id) {
        return *ctx.db->read([&](store::Tx& tx) { return store::outbox::byId(tx, id); });
    }
    std::vector<store::OutboundMessageRecord> messages() {
        return ctx.db->read([&](store::Tx& tx) { return store::outbox::forDossier(tx, dossierId); });
    }
    std::size_t events(const std::string& kind) {
        std::size_t n = 0;
        for (auto& e : ctx.db->read([&](store::Tx& tx) { return store::events::forDossier(tx, {}, dossierId); }))
            n += e.kind == kind;
        return n;
    }
    std::vector<store::TaskRecord> openReviewTasks() {
        return ctx.db->read([&](store::Tx& tx) {
            store::tasks::Filter f;
            f.kind = "outbox_review";
            std::vector<store::TaskRecord> open;
            for (auto& t : store::tasks::list(tx, std::nullopt, f))
                if (t.state == "open") open.push_back(t);
            return open;
        });
    }
};

DispatchStats dispatch(const Context& ctx, channels::MailChannel& mail, unsigned leaseSeconds = 1800) {
    DispatchPolicy p;
    p.leaseSeconds = leaseSeconds;
    return dispatchDue(ctx, mail, p);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(outbox_claims)

BOOST_AUTO_TEST_CASE(two_dispatchers_racing_never_send_one_message_twice) {
    forEachBackend([](TestStore& s) {
        World w(s);
        constexpr int kMessages = 60;
        for (int i = 0; i < kMessages; ++i) w.queue("notice:" + std::to_string(i));
        // A second process: its own pool of connections to the same store.
        Context other = w.ctx;
        other.db = store::Database::open(s.url, 4);
        RecordingMail mail;   // one capture for both: the relay's view
        mail.pause = std::chrono::milliseconds(2);
        std::atomic<std::size_t> sentA{0}, sentB{0};
        auto run = [&](const Context& ctx, std::atomic<std::size_t>& sent) {
            for (int idle = 0; idle < 3;) {
                const auto st = dispatch(ctx, mail);
                sent += st.sent;
                idle = st.sent == 0 ? idle + 1 : 0;
            }
        };
        std::thread a([&] { run(w.ctx, sentA); });
        std::thread b([&] { run(other, sentB); });
        a.join();
        b.join();
        const auto ids = mail.sent();
        const std::set<std::string> unique(ids.begin(), ids.end());
        BOOST_TEST(ids.size() == static_cast<std::size_t>(kMessages));
        BOOST_TEST(unique.size() == static_cast<std::size_t>(kMessages));   // never one message twice
        BOOST_TEST(sentA + sentB == static_cast<std::size_t>(kMessages));
        BOOST_TEST_MESSAGE("dispatcher A sent " << sentA << ", B sent " << sentB);
        for (const auto& m : w.messages()) {
            BOOST_TEST(m.state == "sent");
            BOOST_TEST(m.attempts == 1);
        }
        BOOST_TEST(w.events("message_sent") == static_cast<std::size_t>(kMessages));
    });
}

BOOST_AUTO_TEST_CASE(a_fenced_update_after_the_claim_was_taken_over_changes_nothing) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("notice:1");
        const std::string t0 = w.ctx.now();
        auto at = [&](long seconds) {
            return store::formatInstant(w.clock->now() + Poco::Timespan(seconds, 0));
        };
        // Claim A, whose lease (10 s) runs out; the row is parked, released by a person and claimed
        // again by B. A's late outcomes all change nothing.
        BOOST_TEST_REQUIRE(w.ctx.db->transaction([&](store::Tx& tx) {
            return store::outbox::claimNext(tx, t0, at(10), "claimA").has_value();
        }));
        w.clock->advanceSeconds(20);
        BOOST_TEST(recoverInterrupted(w.ctx) == 1u);
        releaseParked(w.ctx, id, "staff@agency.example", "relay log shows nothing");
        BOOST_TEST_REQUIRE(w.ctx.db->transaction([&](store::Tx& tx) {
            return store::outbox::claimNext(tx, w.ctx.now(), at(60), "claimB").has_value();
        }));
        w.ctx.db->transaction([&](store::Tx& tx) {
            BOOST_TEST(!store::outbox::markSent(tx, id, "claimA", "250 late", w.ctx.now()));
            BOOST_TEST(!store::outbox::markFailed(tx, id, "claimA", "late", w.ctx.now()));
            BOOST_TEST(!store::outbox::markRetry(tx, id, "claimA", "late", w.ctx.now(), w.ctx.now()));
            BOOST_TEST(!store::outbox::park(tx, id, "claimA", "late", w.ctx.now()));
        });
        auto m = w.message(id);
        BOOST_TEST(m.state == "sending");
        BOOST_TEST(!m.providerId.has_value());
        BOOST_TEST(m.attempts == 2);
        // The current claim still records its outcome.
        BOOST_TEST(w.ctx.db->transaction(
            [&](store::Tx& tx) { return store::outbox::markSent(tx, id, "claimB", "250 ok", w.ctx.now()); }));
        BOOST_TEST(w.message(id).state == "sent");
        BOOST_TEST(w.message(id).providerId.value_or("") == "250 ok");
    });
}

BOOST_AUTO_TEST_CASE(a_send_that_outlives_its_lease_is_parked_and_its_late_outcome_never_overwrites) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("notice:1");
        RecordingMail mail;
        // While this dispatcher's send hangs past its lease, another process parks the message.
        Context other = w.ctx;
        other.db = store::Database::open(s.url, 2);
        mail.during = [&] {
            w.clock->advanceSeconds(120);
            BOOST_TEST(recoverInterrupted(other) == 1u);
        };
        const auto st = dispatch(w.ctx, mail, 60);
        BOOST_TEST(st.sent == 0u);   // the fence was lost: the 250 is not recorded over the parking
        BOOST_TEST(mail.sent().size() == 1u);
        BOOST_TEST(w.message(id).state == "unknown");
        BOOST_TEST(w.openReviewTasks().size() == 1u);
        BOOST_TEST(w.events("message_parked") == 1u);
        BOOST_TEST(w.events("message_sent") == 0u);
    });
}

BOOST_AUTO_TEST_CASE(an_smtp_peer_that_never_answers_the_final_dot_leaves_the_message_parked_not_resent) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("notice:1");
        channels::test::ScriptedSmtpServer relay;
        relay.silentAfterData = true;
        relay.start();
        channels::SmtpRelayOptions o;
        o.host = "127.0.0.1";
        o.port = relay.port();
        o.heloName = "client.test";
        o.commandTimeoutSeconds = 1;
        o.finalReplyTimeoutSeconds = 2;   // [jobs] outbox_reply_timeout_s; 600 in production
        channels::SmtpMailChannel smtp(o);
        const auto st = dispatch(w.ctx, smtp, 60);
        BOOST_TEST(st.parked == 1u);
        BOOST_TEST(st.retried + st.sent + st.failed == 0u);
        const auto m = w.message(id);
        BOOST_TEST(m.state == "unknown");
        BOOST_TEST(m.lastError.value_or("").find("state unknown") != std::string::npos, m.lastError.value_or(""));
        BOOST_TEST(m.parkedAt.has_value());
        // Not resent: later passes, even long after, claim nothing, and the relay saw one message.
        w.clock->advanceSeconds(86400);
        BOOST_TEST(recoverInterrupted(w.ctx) == 0u);
        const auto again = dispatch(w.ctx, smtp, 60);
        BOOST_TEST(again.sent + again.retried + again.failed + again.parked == 0u);
        std::size_t dots = 0;
        for (const auto& line : relay.lines()) dots += line == ".";
        BOOST_TEST(dots == 1u);
        BOOST_TEST(w.message(id).attempts == 1);
        // A task for a person, an event on the timeline, and the listing shows it.
        const auto tasks = w.openReviewTasks();
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].dossierId.value_or(0) == w.dossierId);
        BOOST_TEST(tasks[0].priority == 1);
        BOOST_TEST(w.events("message_parked") == 1u);
        const auto parked = listParked(w.ctx);
        BOOST_TEST_REQUIRE(parked.size() == 1u);
        BOOST_TEST(parked[0].id == id);
    });
}

BOOST_AUTO_TEST_CASE(a_person_releases_a_parked_message_or_marks_it_sent) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto a = w.queue("notice:a");
        const auto b = w.queue("notice:b");
        RecordingMail mail;
        mail.next = channels::Unknown{"state unknown, no reply to the end of data: Timeout"};
        BOOST_TEST(dispatch(w.ctx, mail).parked == 2u);
        BOOST_TEST(w.openReviewTasks().size() == 2u);
        // Only parked messages, only with a name.
        BOOST_CHECK_THROW(releaseParked(w.ctx, a, "", ""), InputError);
        BOOST_CHECK_THROW(releaseParked(w.ctx, 999999, "staff", ""), NotFound);
        releaseParked(w.ctx, a, "staff@agency.example", "the relay has no trace of it");
        markParkedSent(w.ctx, b, "staff@agency.example", "queued as 4F2A1 in the relay's log");
        BOOST_CHECK_THROW(markParkedSent(w.ctx, b, "staff@agency.example", ""), InputError);   // not parked now
        BOOST_TEST(w.message(a).state == "planned");
        BOOST_TEST(w.message(b).state == "sent");
        BOOST_TEST(w.message(b).lastError.value_or("").find("marked sent by staff@agency.example") != std::string::npos);
        BOOST_TEST(w.openReviewTasks().empty());
        BOOST_TEST(w.events("message_released") == 1u);
        // The released one goes out again; the one marked sent does not.
        mail.next = channels::Delivered{"250 ok"};
        const auto st = dispatch(w.ctx, mail);
        BOOST_TEST(st.sent == 1u);
        BOOST_TEST(w.message(a).state == "sent");
        BOOST_TEST(w.message(a).attempts == 2);
        BOOST_TEST(mail.sent().size() == 3u);   // a twice (parked, then released), b once
        // Every move above is in the transition table.
        BOOST_TEST(canTransition(Machine::OutboundMessage, "sending", "unknown"));
        BOOST_TEST(canTransition(Machine::OutboundMessage, "unknown", "planned"));
        BOOST_TEST(canTransition(Machine::OutboundMessage, "unknown", "sent"));
        BOOST_TEST(!canTransition(Machine::OutboundMessage, "unknown", "sending"));
    });
}

BOOST_AUTO_TEST_CASE(a_parked_demand_for_payment_of_a_dossier_paid_meanwhile_is_cancelled_not_resent) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto id = w.queue("notice:paid");
        RecordingMail mail;
        mail.next = channels::Unknown{"state unknown, no reply to the end of data: Timeout"};
        BOOST_TEST(dispatch(w.ctx, mail).parked == 1u);
        // The debtor pays while the notice is parked.
        w.ctx.db->transaction([&](store::Tx& tx) {
            store::dossiers::transition(tx, w.dossierId, "active", "paid", w.ctx.now(), {0, 123456});
        });
        BOOST_TEST(releaseParked(w.ctx, id, "staff@agency.example", "relay has no trace") == "failed");
        const auto m = w.message(id);
        BOOST_TEST(m.state == "failed");
        BOOST_TEST(m.lastError.value_or("").find("cancelled: dossier D2026-000001 is paid") != std::string::npos);
        BOOST_TEST(m.lastError.value_or("").find("staff@agency.example") != std::string::npos);
        BOOST_TEST(w.events("message_cancelled") == 1u);
        BOOST_TEST(w.openReviewTasks().empty());
        mail.next = channels::Delivered{"250 ok"};
        BOOST_TEST(dispatch(w.ctx, mail).sent == 0u);
        BOOST_TEST(mail.sent().size() == 1u);  // the one attempt that was parked, never again
        BOOST_TEST(canTransition(Machine::OutboundMessage, "unknown", "failed"));
    });
}

BOOST_AUTO_TEST_CASE(outcomes_ride_with_the_next_claim_and_each_is_still_fenced) {
    forEachBackend([](TestStore& s) {
        World w(s);
        for (int i = 0; i < 5; ++i) w.queue("notice:" + std::to_string(i));
        RecordingMail mail;
        // Each outcome is committed in the transaction that claims the next message. While the 3rd
        // message is out, another process parks it (its lease is made to look expired): its late
        // 'sent' is not recorded; the outcomes around it are.
        Context other = w.ctx;
        other.db = store::Database::open(s.url, 2);
        int n = 0;
        mail.during = [&] {
            if (++n != 3) return;
            other.db->transaction([&](store::Tx& tx) {
                tx.exec("UPDATE outbound_messages SET lease_until = $1 WHERE state = 'sending'",
                        {std::string("2000-01-01T00:00:00.000000Z")});
            });
            BOOST_TEST(recoverInterrupted(other) == 1u);   // only the one out now is 'sending'
        };
        const auto st = dispatch(w.ctx, mail);
        BOOST_TEST(st.sent == 4u);
        std::size_t sent = 0, unknown = 0;
        for (const auto& m : w.messages()) {
            sent += m.state == "sent";
            unknown += m.state == "unknown";
        }
        BOOST_TEST(sent == 4u);
        BOOST_TEST(unknown == 1u);
        BOOST_TEST(w.events("message_sent") == 4u);
        BOOST_TEST(w.events("message_parked") == 1u);
    });
}

BOOST_AUTO_TEST_SUITE_END()
