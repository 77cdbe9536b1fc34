// Issue 14 items 2/3 (StaffRoutes.cpp): a case manager assigns and reassigns a dossier, refuses a
// payment plan, writes to the debtor and the creditor, closes a dossier (the debtor's link then
// shows a "closed" page); the admin pages for creditors and users; a creditor's own users and API
// keys. Over HTTP, on SQLite and (with DUEGATE_TEST_PG_URL) PostgreSQL.
#include "PortalFixture.h"

#include "gateway/services/AccountService.h"
#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/InvoiceImport.h"
#include "gateway/services/PdfProposals.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/ReplyAddress.h"
#include "gateway/services/ReplyService.h"
#include "store/ChargeRepository.h"
#include "store/OutboxRepository.h"
#include "store/StaffRepository.h"
#include "store/TaskRepository.h"
#include "store/InboundRepository.h"

#include <fstream>
#include <sstream>

using namespace duegate;
using namespace duegate::testing;

namespace {

Headers session(const std::string& value) { return {{"Cookie", "dg_session=" + value}}; }

std::string csrfOf(const std::string& body) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return body.substr(start, body.find('"', start) - start);
}

std::string urlEncode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c)) out += static_cast<char>(c);
        else {
            static const char* hex = "0123456789ABCDEF";
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::vector<store::EventRecord> eventsOf(World& w, std::int64_t dossierId, const std::string& kind) {
    std::vector<store::EventRecord> out;
    for (auto& e : w.ctx.db->transaction([&](store::Tx& tx) { return store::events::forDossier(tx, std::nullopt, dossierId); }))
        if (e.kind == kind) out.push_back(e);
    return out;
}

std::vector<store::TaskRecord> tasksOf(World& w, std::int64_t dossierId, bool openOnly = true) {
    return w.ctx.db->transaction([&](store::Tx& tx) {
        store::tasks::Filter f;
        f.dossierId = dossierId;
        if (!openOnly) f.state.reset();
        return store::tasks::list(tx, std::nullopt, f);
    });
}

std::vector<store::OutboundMessageRecord> messagesOf(World& w, std::int64_t dossierId) {
    return w.ctx.db->transaction([&](store::Tx& tx) { return store::outbox::forDossier(tx, dossierId); });
}

std::string statusOf(World& w, std::int64_t dossierId) {
    return services::dossierDetail(w.ctx, services::Principal{}, dossierId)->summary.dossier.status;
}

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DUEGATE_SOURCE_DIR) + "/fixtures/invoice/" + name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A PDF that came in without UBL: the file intake keeps it as a document with a review task.
std::int64_t holdPdf(World& w, std::int64_t creditorId, const std::string& name) {
    const std::string bytes = fixture(name);
    BOOST_TEST_REQUIRE(!bytes.empty());
    const auto out = services::importInvoiceFile(w.ctx, creditorId, name, bytes, w.ctx.blobs->put(bytes), nullptr, nullptr);
    BOOST_TEST_REQUIRE(out.held == 1u);
    for (const auto& h : services::heldPdfs(w.ctx, services::Principal{}))
        if (h.document.filename == name) return h.document.id;
    BOOST_FAIL("no held PDF " + name);
    return 0;
}

struct Staffed {
    explicit Staffed(World& w) {
        samId = w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        tinaId = services::addUser(w.ctx, {"tina@agency.example", std::nullopt, "Tina Staff", World::kPassword, false});
        aliceId = w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        bobId = w.addUser(w.b.id, "bob@bravo.example", "Bob Bravo");
        sam = session(w.loginAs("sam@agency.example"));
        tina = session(w.loginAs("tina@agency.example"));
        alice = session(w.loginAs("alice@acme.example"));
        samCsrf = csrfOf(http(w.port, "GET", "/tasks", sam).body);
        tinaCsrf = csrfOf(http(w.port, "GET", "/tasks", tina).body);
        aliceCsrf = csrfOf(http(w.port, "GET", "/", alice).body);
    }
    std::int64_t samId = 0, tinaId = 0, aliceId = 0, bobId = 0;
    Headers sam, tina, alice;
    std::string samCsrf, tinaCsrf, aliceCsrf;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_staff_actions)

BOOST_AUTO_TEST_CASE(a_case_manager_assigns_and_reassigns_a_dossier_its_tasks_follow_and_the_creditor_sees_whom_to_reach) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const auto scope = services::debtorLink(w.ctx, w.linkFor(w.a.id, w.dossierA));
        services::openDispute(w.ctx, *scope, "quality", "Broken crates", std::nullopt, {}, "127.0.0.1");
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        const Reply ws = http(w.port, "GET", page, p.sam);
        BOOST_TEST(ws.body.find("action=\"" + page + "/assign\"") != std::string::npos);
        BOOST_TEST(ws.body.find("Tina Staff (tina@agency.example)") != std::string::npos);

        const Reply r = http(w.port, "POST", page + "/assign", p.sam, "csrf=" + p.samCsrf + "&user=" + std::to_string(p.samId));
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == page + "?ok=assigned");
        for (const auto& t : tasksOf(w, w.dossierA)) BOOST_TEST(t.assigneeId.value_or(0) == p.samId);
        // The task list's "mine" filter keeps working: Sam sees the dispute task, Tina does not.
        BOOST_TEST(countOf(http(w.port, "GET", "/tasks?mine=1", p.sam).body, "class=\"task\"") == 1u);
        BOOST_TEST(countOf(http(w.port, "GET", "/tasks?mine=1", p.tina).body, "class=\"task\"") == 0u);

        // Reassign: the open tasks follow.
        BOOST_TEST(http(w.port, "POST", page + "/assign", p.tina, "csrf=" + p.tinaCsrf + "&user=" + std::to_string(p.tinaId))
                       .status == 303);
        for (const auto& t : tasksOf(w, w.dossierA)) BOOST_TEST(t.assigneeId.value_or(0) == p.tinaId);
        BOOST_TEST(countOf(http(w.port, "GET", "/tasks?mine=1", p.tina).body, "class=\"task\"") == 1u);
        const auto ev = eventsOf(w, w.dossierA, "dossier_assigned");
        BOOST_TEST_REQUIRE(ev.size() == 2u);
        BOOST_TEST(ev[1].summary.find("Tina Staff") != std::string::npos);
        BOOST_TEST(ev[1].summary.find("by Tina Staff") != std::string::npos);

        // The creditor sees the case manager and how to reach them; cannot assign.
        const Reply own = http(w.port, "GET", page, p.alice);
        BOOST_TEST(own.body.find("Tina Staff") != std::string::npos);
        BOOST_TEST(own.body.find("href=\"mailto:tina@agency.example\"") != std::string::npos);
        BOOST_TEST(own.body.find("/assign\"") == std::string::npos);
        BOOST_TEST(http(w.port, "POST", page + "/assign", p.alice, "csrf=" + p.aliceCsrf + "&user=" + std::to_string(p.samId))
                       .status == 403);
        // A creditor user or a stranger id is no case manager.
        BOOST_TEST(http(w.port, "POST", page + "/assign", p.sam, "csrf=" + p.samCsrf + "&user=" + std::to_string(p.aliceId))
                       .header("Location") == page + "?error=staff#staff");
        BOOST_TEST(http(w.port, "POST", "/dossiers/999999/assign", p.sam, "csrf=" + p.samCsrf + "&user=").status == 404);
        // Unassign.
        BOOST_TEST(http(w.port, "POST", page + "/assign", p.sam, "csrf=" + p.samCsrf + "&user=").status == 303);
        BOOST_TEST(!services::dossierDetail(w.ctx, services::Principal{}, w.dossierA)->summary.dossier.caseManagerId);
    });
}

BOOST_AUTO_TEST_CASE(a_case_manager_refuses_a_plan_with_a_reason_the_debtor_is_told_in_their_language) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const auto scope = services::debtorLink(w.ctx, w.linkFor(w.a.id, w.dossierA));
        services::rememberLanguage(w.ctx, *scope, "fr");
        const auto plan = services::requestPlan(w.ctx, *scope, "12", "2024-06-15", {});
        BOOST_TEST(!plan.approved);
        BOOST_TEST(tasksOf(w, w.dossierA).size() == 1u);
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        BOOST_TEST(http(w.port, "GET", page, p.sam).body.find("action=\"" + page + "/plan/refuse\"") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", page + "/plan/refuse", p.alice, "csrf=" + p.aliceCsrf + "&reason=x").status == 403);
        BOOST_TEST(http(w.port, "POST", page + "/plan/refuse", p.sam, "csrf=" + p.samCsrf + "&reason=").header("Location") ==
                   page + "?error=staff#staff");
        const Reply r = http(w.port, "POST", page + "/plan/refuse", p.sam,
                             "csrf=" + p.samCsrf + "&reason=" + urlEncode("Douze mois, c'est trop long"));
        BOOST_TEST(r.header("Location") == page + "?ok=refused");
        BOOST_TEST(statusOf(w, w.dossierA) == "active");  // reminders go on
        BOOST_TEST(tasksOf(w, w.dossierA).empty());        // the plan_request task is cancelled
        const auto ev = eventsOf(w, w.dossierA, "plan_refused");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("Sam Staff") != std::string::npos);
        bool told = false;
        for (const auto& m : messagesOf(w, w.dossierA))
            if (m.purpose == "plan_refused") {
                told = true;
                BOOST_TEST(m.recipient == "debtor@" + std::to_string(w.a.id) + ".example");
                BOOST_TEST(m.subject.value_or("").find("plan d'apurement") != std::string::npos, m.subject.value_or(""));
                BOOST_TEST(m.body.find("Douze mois, c'est trop long") != std::string::npos);
            }
        BOOST_TEST(told);
        // Nothing is requested any more; the debtor may ask again.
        BOOST_TEST(http(w.port, "POST", page + "/plan/refuse", p.sam, "csrf=" + p.samCsrf + "&reason=again").status == 404);
        BOOST_TEST(http(w.port, "GET", page, p.sam).body.find("/plan/refuse\"") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_case_manager_writes_to_the_debtor_and_the_creditor_through_the_outbox_and_a_reply_threads_home) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.replyDomain = "reply.duegate.example";
        Staffed p(w);
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        const Reply r = http(w.port, "POST", page + "/message", p.sam,
                             "csrf=" + p.samCsrf + "&to=debtor&subject=" + urlEncode("About invoice INV-A-1") +
                                 "&body=" + urlEncode("Dear Dora,\nplease call us back.\nSam"));
        BOOST_TEST(r.header("Location") == page + "?ok=message");
        BOOST_TEST(http(w.port, "POST", page + "/message", p.sam,
                        "csrf=" + p.samCsrf + "&to=creditor&subject=Question&body=" + urlEncode("Is the invoice right?"))
                       .status == 303);
        std::optional<std::int64_t> toDebtor;
        bool toCreditor = false;
        for (const auto& m : messagesOf(w, w.dossierA)) {
            if (m.purpose != "staff_message") continue;
            BOOST_TEST(m.state == "planned");
            if (m.recipient == "debtor@" + std::to_string(w.a.id) + ".example") {
                toDebtor = m.id;
                BOOST_TEST(m.body == "Dear Dora,\nplease call us back.\nSam");
            }
            if (m.recipient == "billing@acme.example") toCreditor = true;
        }
        BOOST_TEST_REQUIRE(toDebtor.has_value());
        BOOST_TEST(toCreditor);
        // On the timeline with its content, for staff and for the creditor.
        const auto written = eventsOf(w, w.dossierA, "message_written");
        BOOST_TEST(written.size() == 2u);
        for (const auto* who : {&p.sam, &p.alice}) {
            const Reply ws = http(w.port, "GET", page, *who);
            BOOST_TEST(ws.body.find("please call us back.") != std::string::npos);
            BOOST_TEST(ws.body.find("message_written") != std::string::npos);
        }
        // The creditor cannot write from the dossier.
        BOOST_TEST(http(w.port, "POST", page + "/message", p.alice,
                        "csrf=" + p.aliceCsrf + "&to=debtor&subject=x&body=y").status == 403);
        // B has no e-mail address: nothing queued, an error shown.
        const std::string pageB = "/dossiers/" + std::to_string(w.dossierB);
        BOOST_TEST(http(w.port, "POST", pageB + "/message", p.sam, "csrf=" + p.samCsrf + "&to=creditor&subject=x&body=y")
                       .header("Location") == pageB + "?error=staff#staff");
        BOOST_TEST(http(w.port, "POST", page + "/message", p.sam, "csrf=" + p.samCsrf + "&to=debtor&subject=&body=y")
                       .header("Location") == page + "?error=staff#staff");

        // The debtor's reply to this message comes home to the dossier (reply address of the row).
        const auto address = services::replyAddress(w.ctx.settings.linkSecret, "reply.duegate.example", *toDebtor);
        BOOST_TEST(services::replyTarget(w.ctx, address).value_or(0) == *toDebtor);
        const std::string raw = "From: Dora <debtor@" + std::to_string(w.a.id) +
                                ".example>\r\nTo: " + address + "\r\nSubject: Re: About invoice INV-A-1\r\n"
                                "Message-ID: <dora-1@example.be>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                                "charset=utf-8\r\n\r\nI will call you tomorrow.\r\n";
        const auto out = services::receiveReply(w.ctx, *toDebtor, "debtor@x.example", address, raw, "127.0.0.1:1");
        BOOST_TEST((out.kind == services::ReplyKind::Reply));
        const auto replies = eventsOf(w, w.dossierA, "reply_received");
        BOOST_TEST_REQUIRE(replies.size() == 1u);
        BOOST_TEST(replies[0].summary.find("I will call you tomorrow.") != std::string::npos, replies[0].summary);
    });
}

BOOST_AUTO_TEST_CASE(closing_a_dossier_cancels_messages_revokes_links_closes_tasks_and_the_link_shows_closed) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        const auto scope = services::debtorLink(w.ctx, token);
        services::openDispute(w.ctx, *scope, "quality", "Broken crates", std::nullopt, {}, "127.0.0.1");
        w.ctx.db->transaction([&](store::Tx& tx) {
            services::queueMessage(w.ctx, tx,
                                   services::QueuedMessage{w.a.id, w.dossierA, "reminder:x", "email", "reminder",
                                                           "dora@debtor.example", "Reminder", "Please pay."},
                                   "2024-06-20T10:00:00.000000Z");
        });
        BOOST_TEST(http(w.port, "GET", "/d/" + token).body.find("action=\"/d/" + token + "/") != std::string::npos);
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        BOOST_TEST(http(w.port, "POST", page + "/close", p.alice, "csrf=" + p.aliceCsrf + "&outcome=written_off&reason=x")
                       .status == 403);
        BOOST_TEST(http(w.port, "POST", page + "/close", p.sam, "csrf=" + p.samCsrf + "&outcome=forgotten&reason=x")
                       .header("Location") == page + "?error=staff#staff");
        BOOST_TEST(http(w.port, "POST", page + "/close", p.sam, "csrf=" + p.samCsrf + "&outcome=written_off&reason=")
                       .header("Location") == page + "?error=staff#staff");
        const Reply r = http(w.port, "POST", page + "/close", p.sam,
                             "csrf=" + p.samCsrf + "&outcome=written_off&reason=" + urlEncode("Debtor bankrupt"));
        BOOST_TEST(r.header("Location") == page + "?ok=dossier_closed");
        BOOST_TEST(statusOf(w, w.dossierA) == "closed");
        for (const auto& m : messagesOf(w, w.dossierA)) {
            BOOST_TEST(m.state == "failed");
            BOOST_TEST(m.lastError.value_or("").find("cancelled") != std::string::npos);
        }
        BOOST_TEST(tasksOf(w, w.dossierA).empty());
        const auto ev = eventsOf(w, w.dossierA, "dossier_closed");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("written off") != std::string::npos);
        BOOST_TEST(ev[0].summary.find("Debtor bankrupt") != std::string::npos);
        BOOST_TEST(ev[0].summary.find("Sam Staff") != std::string::npos);
        // The debtor's link: a "closed" page in their language, no answers; every POST is 404.
        const Reply closed = http(w.port, "GET", "/d/" + token, {{"Accept-Language", "nl-BE"}});
        BOOST_TEST(closed.status == 200);
        BOOST_TEST(closed.body.find("id=\"dossier-closed\"") != std::string::npos);
        BOOST_TEST(closed.body.find("Dit dossier is afgesloten") != std::string::npos);
        BOOST_TEST(closed.body.find("/promise\"") == std::string::npos);
        BOOST_TEST(http(w.port, "POST", "/d/" + token + "/promise", {}, "csrf=x&date=2024-06-10").status == 404);
        BOOST_TEST(http(w.port, "GET", "/d/" + token + "/invoice").status == 404);
        // A tampered token of the closed dossier is still the plain 404.
        BOOST_TEST(http(w.port, "GET", "/d/" + token.substr(0, token.size() - 2) + "xx").status == 404);
        // The close form is gone; closing again is refused (closed -> closed is not a transition).
        BOOST_TEST(http(w.port, "GET", page, p.sam).body.find("/close\"") == std::string::npos);
        BOOST_TEST(http(w.port, "POST", page + "/close", p.sam, "csrf=" + p.samCsrf + "&outcome=paid&reason=x")
                       .header("Location") == page + "?error=staff#staff");
        BOOST_TEST(eventsOf(w, w.dossierA, "dossier_closed").size() == 1u);

        // Paid: open 0; handed to a lawyer: legal.
        BOOST_TEST(http(w.port, "POST", "/dossiers/" + std::to_string(w.dossierB) + "/close", p.sam,
                        "csrf=" + p.samCsrf + "&outcome=lawyer&reason=" + urlEncode("No answer"))
                       .status == 303);
        BOOST_TEST(statusOf(w, w.dossierB) == "legal");
        BOOST_TEST(http(w.port, "POST", "/dossiers/" + std::to_string(w.dossierB) + "/close", p.sam,
                        "csrf=" + p.samCsrf + "&outcome=paid&reason=" + urlEncode("Lawyer collected"))
                       .status == 303);
        const auto b = services::dossierDetail(w.ctx, services::Principal{}, w.dossierB)->summary.dossier;
        BOOST_TEST(b.status == "paid");
        BOOST_TEST(b.openMinor == 0);
    });
}

BOOST_AUTO_TEST_CASE(a_dispute_is_resolved_with_a_credit_partly_then_in_full_or_by_closing_the_dossier) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        auto dispute = [&](std::int64_t creditorId, std::int64_t dossierId) {
            const auto scope = services::debtorLink(w.ctx, w.linkFor(creditorId, dossierId));
            services::openDispute(w.ctx, *scope, "quality", "Broken crates", std::nullopt, {}, "127.0.0.1");
        };
        auto open = [&](std::int64_t dossierId) {
            return services::dossierDetail(w.ctx, services::Principal{}, dossierId)->summary.dossier.openMinor;
        };
        auto credited = [&](std::int64_t dossierId) {
            std::vector<store::OutboundMessageRecord> out;
            for (const auto& m : messagesOf(w, dossierId))
                if (m.purpose == "credit_granted") out.push_back(m);
            return out;
        };
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        auto resolve = [&](const std::string& form) {
            return http(w.port, "POST", page + "/dispute/resolve", p.sam, "csrf=" + p.samCsrf + "&" + form)
                .header("Location");
        };
        dispute(w.a.id, w.dossierA);
        BOOST_TEST(statusOf(w, w.dossierA) == "disputed");
        // The form offers the three ways; a creditor user cannot use it.
        const Reply ws = http(w.port, "GET", page, p.sam);
        BOOST_TEST(ws.body.find("name=\"how\" value=\"credit\"") != std::string::npos);
        BOOST_TEST(ws.body.find("name=\"how\" value=\"close\"") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", page + "/dispute/resolve", p.alice,
                        "csrf=" + p.aliceCsrf + "&how=credit&credit=10&resolution=x").status == 403);
        // Out of range or not an amount: refused with the credit's own message, nothing changes.
        BOOST_TEST(resolve("how=credit&credit=1234%2C51&resolution=x") == page + "?error=credit");
        BOOST_TEST(resolve("how=credit&credit=0&resolution=x") == page + "?error=credit");
        BOOST_TEST(resolve("how=credit&credit=abc&resolution=x") == page + "?error=credit");
        BOOST_TEST(resolve("how=credit&credit=10&resolution=") == page + "?error=decision");
        BOOST_TEST(resolve("how=refund&resolution=x") == page + "?error=decision");
        BOOST_TEST(statusOf(w, w.dossierA) == "disputed");
        BOOST_TEST(open(w.dossierA) == 123450);
        BOOST_TEST(http(w.port, "GET", page + "?error=credit", p.sam).body.find("principal still open") !=
                   std::string::npos);

        // A partial credit: the open amount falls, reminders resume on the rest, the debtor is told.
        BOOST_TEST(resolve("how=credit&credit=234%2C50&resolution=" + urlEncode("Two crates broken")) ==
                   page + "?ok=credited");
        BOOST_TEST(statusOf(w, w.dossierA) == "active");
        BOOST_TEST(open(w.dossierA) == 100000);
        const auto credits = w.ctx.db->transaction([&](store::Tx& tx) { return store::charges::creditsOf(tx, w.dossierA); });
        BOOST_TEST_REQUIRE(credits.size() == 1u);
        BOOST_TEST(credits[0].amountMinor == 23450);
        BOOST_TEST(credits[0].reason == "Two crates broken");
        auto ev = eventsOf(w, w.dossierA, "credit_granted");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("EUR 234.50") != std::string::npos);
        BOOST_TEST(ev[0].summary.find("Sam Staff") != std::string::npos);
        BOOST_TEST(eventsOf(w, w.dossierA, "dispute_resolved").size() == 1u);
        auto mails = credited(w.dossierA);
        BOOST_TEST_REQUIRE(mails.size() == 1u);
        BOOST_TEST(mails[0].state == "planned");
        BOOST_TEST(mails[0].body.find("Two crates broken") != std::string::npos);
        BOOST_TEST(mails[0].body.find("234") != std::string::npos);
        BOOST_TEST(mails[0].body.find("/d/") != std::string::npos);  // the rest is to be paid: a link
        BOOST_TEST(http(w.port, "GET", page, p.sam).body.find("Credit granted") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/d/" + token).status == 200);
        // No dispute open any more: nothing to resolve.
        BOOST_TEST(resolve("how=credit&credit=10&resolution=x") == page + "?error=decision");

        // Disputed again, then the whole principal still open is credited: the dossier is closed.
        dispute(w.a.id, w.dossierA);
        BOOST_TEST(resolve("how=credit&credit=1000&resolution=" + urlEncode("Delivery never made")) ==
                   page + "?ok=credited");
        BOOST_TEST(statusOf(w, w.dossierA) == "closed");
        BOOST_TEST(open(w.dossierA) == 0);
        mails = credited(w.dossierA);
        BOOST_TEST_REQUIRE(mails.size() == 2u);
        BOOST_TEST(mails[1].state == "planned");  // told after the close, not cancelled by it
        BOOST_TEST(mails[1].body.find("/d/") == std::string::npos);
        BOOST_TEST(eventsOf(w, w.dossierA, "dossier_closed").size() == 1u);
        BOOST_TEST(http(w.port, "GET", "/d/" + token).body.find("id=\"dossier-closed\"") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", "/d/" + token + "/promise", {}, "csrf=x&date=2024-06-10").status == 404);

        // Closing as the resolution: written off, the dispute resolved, no credit.
        dispute(w.b.id, w.dossierB);
        const std::string pageB = "/dossiers/" + std::to_string(w.dossierB);
        BOOST_TEST(http(w.port, "POST", pageB + "/dispute/resolve", p.sam,
                        "csrf=" + p.samCsrf + "&how=close&resolution=" + urlEncode("Creditor withdraws the claim"))
                       .header("Location") == pageB + "?ok=dossier_closed");
        BOOST_TEST(statusOf(w, w.dossierB) == "closed");
        BOOST_TEST(open(w.dossierB) == 99900);
        ev = eventsOf(w, w.dossierB, "dossier_closed");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("Creditor withdraws the claim") != std::string::npos);
        BOOST_TEST(credited(w.dossierB).empty());
        BOOST_TEST(tasksOf(w, w.dossierB).empty());
    });
}

BOOST_AUTO_TEST_CASE(a_staff_admin_manages_creditors_and_users_others_get_403) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        // Sam was made on the command line: an admin. Tina is a case manager only; Alice a creditor.
        const Reply admin = http(w.port, "GET", "/admin", p.sam);
        BOOST_TEST(admin.status == 200);
        BOOST_TEST(admin.body.find("Acme Tools BV") != std::string::npos);
        BOOST_TEST(admin.body.find("Bravo Secret Industries") != std::string::npos);
        BOOST_TEST(admin.body.find("tina@agency.example") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/admin", p.tina).status == 403);
        BOOST_TEST(http(w.port, "GET", "/admin", p.alice).status == 403);
        BOOST_TEST(http(w.port, "GET", "/admin/creditors/" + std::to_string(w.a.id), p.tina).status == 403);
        BOOST_TEST(http(w.port, "POST", "/admin/creditors", p.tina, "csrf=" + p.tinaCsrf + "&name=X&intake=x@duegate.example")
                       .status == 403);

        // A new creditor: its API key is shown once and works on the API.
        const Reply created = http(w.port, "POST", "/admin/creditors", p.sam,
                                   "csrf=" + p.samCsrf + "&name=" + urlEncode("Charlie Foods") +
                                       "&intake=intake-c%40duegate.example&email=ap%40charlie.example&iban=NL91ABNA0417164300"
                                       "&collect_to=creditor&fee=250&sender=%40charlie.example");
        BOOST_TEST(created.status == 200);
        BOOST_TEST(created.header("Cache-Control") == "no-store");
        const auto k = created.body.find("<code>dg_");
        BOOST_TEST_REQUIRE(k != std::string::npos);
        const std::string key = created.body.substr(k + 6, created.body.find('<', k + 6) - k - 6);
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers", {{"Authorization", "Bearer " + key}}).status == 200);
        const auto charlie = w.ctx.db->transaction([&](store::Tx& tx) { return store::creditors::byIntakeAddress(tx, "intake-c@duegate.example"); });
        BOOST_TEST_REQUIRE(charlie.has_value());
        BOOST_TEST(charlie->collectTo == "creditor");
        BOOST_TEST(charlie->feeBasisPoints == 250);
        const std::string cpage = "/admin/creditors/" + std::to_string(charlie->id);
        const Reply detail = http(w.port, "GET", cpage, p.sam);
        BOOST_TEST(detail.body.find("NL91ABNA0417164300") != std::string::npos);
        BOOST_TEST(detail.body.find("@charlie.example") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", cpage, p.sam, "csrf=" + p.samCsrf + "&fee=300&policy=be-b2b-standard").header("Location") ==
                   cpage + "?ok=saved");
        BOOST_TEST(http(w.port, "POST", cpage, p.sam, "csrf=" + p.samCsrf + "&iban=BE00").header("Location") ==
                   cpage + "?error=input");
        const auto changed = w.ctx.db->transaction([&](store::Tx& tx) { return store::creditors::byId(tx, charlie->id); });
        BOOST_TEST(changed->feeBasisPoints == 300);
        BOOST_TEST(changed->policy.value_or("") == "be-b2b-standard");
        BOOST_TEST(http(w.port, "GET", "/admin/creditors/999999", p.sam).status == 404);

        // Users: create a creditor user, disable them (login refused), promote Tina.
        BOOST_TEST(http(w.port, "POST", "/admin/users", p.sam,
                        "csrf=" + p.samCsrf + "&email=carl%40charlie.example&name=Carl&password=long-enough-pw&role=creditor"
                        "&creditor=" + std::to_string(charlie->id))
                       .header("Location") == "/admin?ok=user");
        BOOST_TEST(!w.loginAs("carl@charlie.example", "long-enough-pw").empty());
        const auto carl = w.ctx.db->transaction([&](store::Tx& tx) { return store::users::byEmail(tx, "carl@charlie.example"); });
        BOOST_TEST(carl->creditorId.value_or(0) == charlie->id);
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + std::to_string(carl->id) + "/disable", p.sam, "csrf=" + p.samCsrf)
                       .header("Location") == "/admin?ok=disabled");
        BOOST_TEST(w.loginAs("carl@charlie.example", "long-enough-pw").empty());
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + std::to_string(p.samId) + "/disable", p.sam, "csrf=" + p.samCsrf)
                       .header("Location") == "/admin?error=input");  // not yourself
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + std::to_string(p.tinaId) + "/role", p.sam,
                        "csrf=" + p.samCsrf + "&role=admin")
                       .header("Location") == "/admin?ok=role");
        BOOST_TEST(http(w.port, "GET", "/admin", p.tina).status == 200);
        // Disabling a user ends their sessions at once.
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + std::to_string(p.tinaId) + "/disable", p.sam, "csrf=" + p.samCsrf)
                       .status == 303);
        BOOST_TEST(http(w.port, "GET", "/admin", p.tina).status == 303);
        BOOST_TEST(http(w.port, "POST", "/admin/users", p.alice,
                        "csrf=" + p.aliceCsrf + "&email=x%40acme.example&password=long-enough-pw&role=staff")
                       .status == 403);
    });
}

BOOST_AUTO_TEST_CASE(a_creditor_manages_its_own_users_and_api_keys_shown_once_stored_hashed_revocable) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const Reply account = http(w.port, "GET", "/account", p.alice);
        BOOST_TEST(account.status == 200);
        BOOST_TEST(account.body.find("alice@acme.example") != std::string::npos);
        BOOST_TEST(account.body.find("bob@bravo.example") == std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/account", p.sam).status == 403);

        const Reply created = http(w.port, "POST", "/account/keys", p.alice, "csrf=" + p.aliceCsrf + "&name=ERP");
        BOOST_TEST(created.status == 200);
        const auto k = created.body.find("<code>dg_");
        BOOST_TEST_REQUIRE(k != std::string::npos);
        const std::string key = created.body.substr(k + 6, created.body.find('<', k + 6) - k - 6);
        BOOST_TEST(key.size() == 51u);
        // Shown once: the account page does not show it again, and only its sha256 is stored.
        BOOST_TEST(http(w.port, "GET", "/account", p.alice).body.find(key) == std::string::npos);
        const auto keys = w.ctx.db->transaction([&](store::Tx& tx) { return store::staff::apiKeys(tx, w.a.id); });
        BOOST_TEST_REQUIRE(keys.size() == 1u);
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) {
            return tx.queryOne("SELECT COUNT(*) FROM api_keys WHERE key_hash = $1", {key})->integer(0);
        }) == 0);
        // The API takes it like the creditor's first key: A's dossiers only.
        const Headers bearer{{"Authorization", "Bearer " + key}};
        const Reply list = http(w.port, "GET", "/api/v1/dossiers", bearer);
        BOOST_TEST(list.status == 200);
        BOOST_TEST(list.body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(list.body.find("DG-B-1") == std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers/" + std::to_string(w.dossierB), bearer).status == 404);
        // Revoked: 401 at once. B's user cannot revoke A's key (404).
        const std::string revoke = "/account/keys/" + std::to_string(keys[0].id) + "/revoke";
        const Headers bob = session(w.loginAs("bob@bravo.example"));
        const std::string bobCsrf = csrfOf(http(w.port, "GET", "/", bob).body);
        BOOST_TEST(http(w.port, "POST", revoke, bob, "csrf=" + bobCsrf).status == 404);
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers", bearer).status == 200);
        BOOST_TEST(http(w.port, "POST", revoke, p.alice, "csrf=" + p.aliceCsrf).header("Location") == "/account?ok=revoked");
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers", bearer).status == 401);
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers", {{"Authorization", "Bearer " + w.a.apiKey}}).status == 200);

        // Own users: create, disable; B's user is out of reach.
        BOOST_TEST(http(w.port, "POST", "/account/users", p.alice,
                        "csrf=" + p.aliceCsrf + "&email=anna%40acme.example&name=Anna&password=long-enough-pw")
                       .header("Location") == "/account?ok=user");
        const auto anna = w.ctx.db->transaction([&](store::Tx& tx) { return store::users::byEmail(tx, "anna@acme.example"); });
        BOOST_TEST_REQUIRE(anna.has_value());
        BOOST_TEST(anna->creditorId.value_or(0) == w.a.id);
        BOOST_TEST(anna->role == "creditor");
        BOOST_TEST(http(w.port, "POST", "/account/users/" + std::to_string(anna->id) + "/disable", p.alice,
                        "csrf=" + p.aliceCsrf)
                       .header("Location") == "/account?ok=disabled");
        BOOST_TEST(w.loginAs("anna@acme.example", "long-enough-pw").empty());
        BOOST_TEST(http(w.port, "POST", "/account/users/" + std::to_string(p.bobId) + "/disable", p.alice,
                        "csrf=" + p.aliceCsrf)
                       .status == 404);
        BOOST_TEST(!w.loginAs("bob@bravo.example").empty());
        // The account's timeline names who did it.
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) {
            return tx.queryOne("SELECT COUNT(*) FROM events WHERE creditor_id = $1 AND kind = 'api_key_created' AND "
                               "summary LIKE '%Alice Acme%'",
                               {w.a.id})
                ->integer(0);
        }) == 1);
    });
}

BOOST_AUTO_TEST_CASE(a_pdf_without_ubl_becomes_a_dossier_from_the_fields_the_person_checked) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const auto docId = holdPdf(w, w.a.id, "invoice_nl.pdf");
        const std::string page = "/review/pdf/" + std::to_string(docId);
        BOOST_TEST(http(w.port, "GET", "/tasks", p.sam).body.find("href=\"" + page + "\"") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/review/pdf", p.sam).body.find("invoice_nl.pdf") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/review/pdf", p.alice).status == 403);
        BOOST_TEST(http(w.port, "GET", page, p.alice).status == 403);
        BOOST_TEST(http(w.port, "GET", page + "/file", p.alice).status == 403);

        // The proposals beside the PDF, each with its source line and a box to tick.
        const Reply review = http(w.port, "GET", page, p.sam);
        BOOST_TEST(review.status == 200);
        BOOST_TEST(review.body.find("<iframe class=\"pdf\" src=\"" + page + "/file\"") != std::string::npos);
        BOOST_TEST(review.body.find("value=\"2026/117\"") != std::string::npos);
        BOOST_TEST(review.body.find("Factuurnummer: 2026/117") != std::string::npos);
        BOOST_TEST(review.body.find("value=\"090933755493\"") != std::string::npos);
        BOOST_TEST(countOf(review.body, "type=\"checkbox\" name=\"ok_") == 9u);
        const Reply file = http(w.port, "GET", page + "/file", p.sam);
        BOOST_TEST(file.status == 200);
        BOOST_TEST(file.header("Content-Type") == "application/pdf");
        BOOST_TEST(file.body.rfind("%PDF", 0) == 0u);
        BOOST_TEST(file.all("X-Frame-Options").size() == 1u);
        BOOST_TEST(file.header("X-Frame-Options") == "SAMEORIGIN");
        BOOST_TEST(file.header("Content-Security-Policy").find("frame-ancestors 'self'") != std::string::npos);
        // Every other page still forbids framing.
        BOOST_TEST(review.header("X-Frame-Options") == "DENY");

        std::string form = "csrf=" + p.samCsrf +
                           "&invoice_number=2026%2F117&issue_date=2026-01-14&due_date=2026-02-13&amount=1234%2C50"
                           "&currency=EUR&iban=BE68539007547034&reference=090933755493"
                           "&debtor_name=" + urlEncode("Garage Vermeulen BV") + "&debtor_email=info%40vermeulen.example";
        // Not ticked: nothing happens.
        BOOST_TEST(http(w.port, "POST", page, p.sam, form).header("Location") == page + "?error=confirm");
        std::string ticks;
        for (const char* f : {"invoice_number", "issue_date", "due_date", "amount", "currency", "iban", "reference",
                              "debtor_name", "debtor_email"})
            ticks += std::string("&ok_") + f + "=1";
        // A corrected field that does not parse is named.
        const std::string badDate = "csrf=" + p.samCsrf + "&invoice_number=2026%2F117&issue_date=14%2F01%2F2026"
                                    "&ok_invoice_number=1&ok_issue_date=1&amount=1&ok_amount=1&currency=EUR&ok_currency=1"
                                    "&debtor_name=X&ok_debtor_name=1";
        BOOST_TEST(http(w.port, "POST", page, p.sam, badDate).header("Location") == page + "?field=issue_date");
        BOOST_TEST(http(w.port, "GET", page + "?field=issue_date", p.sam).body.find("Not created: Invoice date (YYYY-MM-DD) is not valid.") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", page, p.alice, "csrf=" + p.aliceCsrf + ticks).status == 403);

        const Reply applied = http(w.port, "POST", page, p.sam, form + ticks);
        BOOST_TEST(applied.status == 303);
        const std::string location = applied.header("Location");
        BOOST_TEST_REQUIRE(location.find("?ok=pdf") != std::string::npos, location);
        const auto dossierId = std::stoll(location.substr(10, location.find('?') - 10));
        const auto d = services::dossierDetail(w.ctx, services::Principal{}, dossierId);
        BOOST_TEST_REQUIRE(d.has_value());
        BOOST_TEST(d->summary.dossier.creditorId == w.a.id);
        BOOST_TEST(d->summary.dossier.status == "active");
        BOOST_TEST(d->summary.dossier.openMinor == 123450);
        BOOST_TEST(d->summary.debtor.name == "Garage Vermeulen BV");
        BOOST_TEST_REQUIRE(d->summary.invoices.size() == 1u);
        BOOST_TEST(d->summary.invoices[0].number == "2026/117");
        BOOST_TEST(d->summary.invoices[0].documentId.value_or(0) == docId);  // the PDF is the invoice's document
        const auto ev = eventsOf(w, dossierId, "pdf_confirmed");
        BOOST_TEST_REQUIRE(ev.size() == 1u);
        BOOST_TEST(ev[0].summary.find("Sam Staff") != std::string::npos);
        BOOST_TEST(ev[0].summary.find("corrected: debtor") != std::string::npos, ev[0].summary);
        BOOST_TEST(eventsOf(w, dossierId, "dossier_created").size() == 1u);
        // Done: the review task is closed and the PDF is no longer offered.
        BOOST_TEST(http(w.port, "GET", page, p.sam).status == 404);
        BOOST_TEST(http(w.port, "POST", page, p.sam, form + ticks).status == 404);

        // Trust holds: a PDF asking payment to an IBAN the creditor did not register is held as a draft.
        const auto frId = holdPdf(w, w.a.id, "invoice_fr_rf.pdf");
        const std::string frPage = "/review/pdf/" + std::to_string(frId);
        const Reply fr = http(w.port, "POST", frPage, p.sam,
                              "csrf=" + p.samCsrf + "&invoice_number=FD-8812&issue_date=2026-02-02&amount=89.99"
                              "&currency=EUR&iban=BE71096123456769&reference=RF18539007547034&debtor_name=Boulangerie+Dupont" +
                                  ticks);
        BOOST_TEST_REQUIRE(fr.header("Location").find("?ok=pdf_held") != std::string::npos, fr.header("Location"));
        const auto frDossier = std::stoll(fr.header("Location").substr(10));
        BOOST_TEST(statusOf(w, frDossier) == "draft");
    });
}

BOOST_AUTO_TEST_CASE(a_quarantined_mail_with_only_a_pdf_is_read_beside_its_proposals) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Staffed p(w);
        const std::string pdf = fixture("invoice_nl.pdf");
        std::string b64;
        {
            static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            for (std::size_t i = 0; i < pdf.size(); i += 3) {
                const unsigned n = (static_cast<unsigned char>(pdf[i]) << 16) |
                                   (i + 1 < pdf.size() ? static_cast<unsigned char>(pdf[i + 1]) << 8 : 0) |
                                   (i + 2 < pdf.size() ? static_cast<unsigned char>(pdf[i + 2]) : 0);
                b64 += t[(n >> 18) & 63];
                b64 += t[(n >> 12) & 63];
                b64 += i + 1 < pdf.size() ? t[(n >> 6) & 63] : '=';
                b64 += i + 2 < pdf.size() ? t[n & 63] : '=';
                if (b64.size() % 77 == 76) b64 += "\r\n";
            }
        }
        const std::string raw = "From: billing@acme.example\r\nTo: intake-a@duegate.example\r\nSubject: Factuur\r\n"
                                "Message-ID: <pdf-only@acme.example>\r\nMIME-Version: 1.0\r\n"
                                "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                                "See attached.\r\n--b1\r\nContent-Type: application/pdf; name=\"factuur.pdf\"\r\n"
                                "Content-Disposition: attachment; filename=\"factuur.pdf\"\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n--b1--\r\n";
        const auto itemId = w.ctx.db->transaction([&](store::Tx& tx) {
            store::InboundItemRecord item;
            item.creditorId = w.a.id;
            item.kind = "mail";
            item.sha256 = w.ctx.blobs->put(raw);
            item.size = static_cast<std::int64_t>(raw.size());
            const auto ins = store::inbound::insertReceived(tx, item, w.ctx.now());
            store::inbound::transition(tx, ins.id, "received", "quarantined", "no UBL invoice attached", w.ctx.now());
            return ins.id;
        });
        const std::string path = "/quarantine/" + std::to_string(itemId) + "/pdf";
        BOOST_TEST(http(w.port, "GET", "/quarantine", p.sam).body.find("action=\"" + path + "\"") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/quarantine", p.alice).body.find(path) == std::string::npos);
        BOOST_TEST(http(w.port, "POST", path, p.alice, "csrf=" + p.aliceCsrf).status == 403);
        const Reply r = http(w.port, "POST", path, p.sam, "csrf=" + p.samCsrf);
        BOOST_TEST(r.status == 303);
        BOOST_TEST_REQUIRE(r.header("Location").rfind("/review/pdf/", 0) == 0u, r.header("Location"));
        const Reply review = http(w.port, "GET", r.header("Location"), p.sam);
        BOOST_TEST(review.status == 200);
        BOOST_TEST(review.body.find("factuur.pdf") != std::string::npos);
        BOOST_TEST(review.body.find("value=\"2026/117\"") != std::string::npos);
        // The same PDF again is the same document, one task.
        BOOST_TEST(http(w.port, "POST", path, p.sam, "csrf=" + p.samCsrf).header("Location") == r.header("Location"));
        BOOST_TEST(services::heldPdfs(w.ctx, services::Principal{}).size() == 1u);
        BOOST_TEST(http(w.port, "POST", "/quarantine/999999/pdf", p.sam, "csrf=" + p.samCsrf).status == 404);
    });
}

BOOST_AUTO_TEST_SUITE_END()
