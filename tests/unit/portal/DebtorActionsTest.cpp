// The debtor's answers through a personal link, over real HTTP: each POST is CSRF-checked against
// the link, counted against the hourly bound, recorded as its event (and task where a person must
// decide) and answered with 303 back to the page, which confirms. The clock is 2024-06-01.
#include "PortalFixture.h"

#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "store/DebtorActionRepository.h"
#include "store/OutboxRepository.h"
#include "store/TaskRepository.h"

using namespace duegate;
using namespace duegate::testing;

namespace {

std::string csrfOf(const std::string& body) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return body.substr(start, body.find('"', start) - start);
}

struct Debtor {
    World& w;
    std::string token;
    std::string csrf;

    Debtor(World& world, std::int64_t creditorId, std::int64_t dossierId) : w(world) {
        token = w.linkFor(creditorId, dossierId);
        csrf = csrfOf(get().body);
    }
    Reply get(const std::string& suffix = "", const Headers& h = {}) { return http(w.port, "GET", "/d/" + token + suffix, h); }
    Reply post(const std::string& action, const std::string& form, bool withCsrf = true) {
        return http(w.port, "POST", "/d/" + token + "/" + action, {},
                    withCsrf ? "csrf=" + csrf + (form.empty() ? "" : "&" + form) : form);
    }
};

std::vector<std::string> eventKinds(World& w, std::int64_t dossierId) {
    std::vector<std::string> out;
    const auto detail = services::dossierDetail(w.ctx, services::Principal{}, dossierId);  // keep it alive
    for (const auto& e : detail->events) out.push_back(e.kind);
    return out;
}
bool hasEvent(World& w, std::int64_t dossierId, const std::string& kind) {
    const auto k = eventKinds(w, dossierId);
    return std::find(k.begin(), k.end(), kind) != k.end();
}
std::string statusOf(World& w, std::int64_t dossierId) {
    return services::dossierDetail(w.ctx, services::Principal{}, dossierId)->summary.dossier.status;
}
std::vector<store::TaskRecord> tasksOf(World& w, std::int64_t dossierId) {
    return w.ctx.db->transaction([&](store::Tx& tx) {
        store::tasks::Filter f;
        f.dossierId = dossierId;
        return store::tasks::list(tx, std::nullopt, f);
    });
}

std::string multipart(const std::string& boundary, const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& fileName, const std::string& fileBytes) {
    std::string b;
    for (const auto& [k, v] : fields)
        b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"" + fileName +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + fileBytes + "\r\n";
    b += "--" + boundary + "--\r\n";
    return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_debtor_actions)

BOOST_AUTO_TEST_CASE(the_debtor_page_offers_every_answer_with_the_links_csrf_token) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        const Reply r = d.get();
        BOOST_TEST(d.csrf.size() == 32u);
        for (const char* action : {"promise", "paid", "plan", "dispute", "contact", "accept"})
            BOOST_TEST(r.body.find("action=\"/d/" + d.token + "/" + action + "\"") != std::string::npos);
        BOOST_TEST(r.body.find("enctype=\"multipart/form-data\"") != std::string::npos);
        BOOST_TEST(r.body.find("<script") == std::string::npos);
        BOOST_TEST(r.body.find("style=") == std::string::npos);
        // Another link of another dossier has another token.
        Debtor other(w, w.b.id, w.dossierB);
        BOOST_TEST(other.csrf != d.csrf);
    });
}

BOOST_AUTO_TEST_CASE(a_promise_pauses_the_dossier_queues_a_confirmation_and_the_page_confirms) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        const Reply r = d.post("promise", "date=2024-06-20");
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?ok=ok_promise");
        BOOST_TEST(statusOf(w, w.dossierA) == "promised");
        BOOST_TEST(hasEvent(w, w.dossierA, "promise_recorded"));
        const auto messages = w.ctx.db->transaction([&](store::Tx& tx) { return store::outbox::forDossier(tx, w.dossierA); });
        BOOST_TEST_REQUIRE(messages.size() == 1u);
        BOOST_TEST(messages[0].purpose == "promise_confirmation");
        BOOST_TEST(messages[0].recipient == "debtor@" + std::to_string(w.a.id) + ".example");
        // The dunning engine's confirmation (its templates, the dossier's language).
        BOOST_TEST(messages[0].subject->find("20 June 2024") != std::string::npos);
        const Reply page = d.get("?ok=ok_promise");
        BOOST_TEST(page.body.find("role=\"status\"") != std::string::npos);
        BOOST_TEST(page.body.find("Your promise to pay by 2024-06-20 is recorded") != std::string::npos);
        BOOST_TEST(page.body.find("You promised to pay by 2024-06-20") != std::string::npos);
        // Arbitrary text in the query is never shown.
        const Reply forged = d.get("?ok=%3Cb%3Ehacked");
        BOOST_TEST(forged.body.find("hacked") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_promise_beyond_the_policy_maximum_is_refused_and_nothing_is_recorded) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        for (const char* date : {"2024-07-02", "2024-05-31", "tomorrow", ""}) {
            const Reply r = d.post("promise", std::string("date=") + date);
            BOOST_TEST(r.status == 303);
            BOOST_TEST(r.header("Location") == "/d/" + d.token + "?error=err_promise_date#promise");
        }
        BOOST_TEST(d.post("promise", "date=2024-07-01").status == 303);  // exactly 30 days: allowed
        BOOST_TEST(statusOf(w, w.dossierA) == "promised");
        const Reply page = d.get("?error=err_promise_date");
        BOOST_TEST(page.body.find("role=\"alert\"") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_post_without_or_with_a_foreign_csrf_token_is_refused_with_403_and_changes_nothing) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        Debtor other(w, w.b.id, w.dossierB);
        BOOST_TEST(d.post("promise", "date=2024-06-20", false).status == 403);
        BOOST_TEST(d.post("promise", "csrf=" + other.csrf + "&date=2024-06-20", false).status == 403);
        BOOST_TEST(d.post("accept", "csrf=x", false).status == 403);
        BOOST_TEST(statusOf(w, w.dossierA) == "active");
        BOOST_TEST(!hasEvent(w, w.dossierA, "promise_recorded"));
        BOOST_TEST(!hasEvent(w, w.dossierA, "invoice_accepted"));
    });
}

BOOST_AUTO_TEST_CASE(a_tampered_token_gets_404_on_every_action_and_a_token_opens_only_its_own_dossier) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        std::string tampered = d.token;
        tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
        for (const char* action : {"promise", "paid", "plan", "dispute", "contact", "accept"}) {
            const Reply r = http(w.port, "POST", "/d/" + tampered + "/" + action, {}, "csrf=" + d.csrf + "&date=2024-06-20");
            BOOST_TEST(r.status == 404);
        }
        BOOST_TEST(http(w.port, "GET", "/d/" + tampered + "/invoice").status == 404);
        // A's token acts on A only.
        BOOST_TEST(d.post("accept", "").status == 303);
        BOOST_TEST(hasEvent(w, w.dossierA, "invoice_accepted"));
        BOOST_TEST(!hasEvent(w, w.dossierB, "invoice_accepted"));
        BOOST_TEST(d.get().body.find("Zed Hidden Debtor") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(more_than_twenty_posts_an_hour_on_one_link_get_429) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        for (int i = 0; i < 20; ++i) BOOST_TEST(d.post("contact", "").status == 303);
        const Reply r = d.post("contact", "");
        BOOST_TEST(r.status == 429);
        BOOST_TEST(r.header("Retry-After") == "3600");
        // Another link is not affected; the next hour the link works again.
        Debtor other(w, w.b.id, w.dossierB);
        BOOST_TEST(other.post("contact", "").status == 303);
        w.clock->advanceSeconds(3600);
        BOOST_TEST(d.post("contact", "").status == 303);
    });
}

BOOST_AUTO_TEST_CASE(a_plan_within_the_limits_is_approved_and_its_schedule_shown) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);  // EUR 1234.50
        const Reply r = d.post("plan", "instalments=3&first_date=2024-06-15");
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?ok=ok_plan_approved");
        BOOST_TEST(statusOf(w, w.dossierA) == "plan");
        BOOST_TEST(hasEvent(w, w.dossierA, "plan_requested"));
        BOOST_TEST(hasEvent(w, w.dossierA, "plan_approved"));
        const Reply page = d.get();
        BOOST_TEST(page.body.find("2024-06-15") != std::string::npos);
        BOOST_TEST(page.body.find("2024-07-15") != std::string::npos);
        BOOST_TEST(page.body.find("2024-08-15") != std::string::npos);
        BOOST_TEST(page.body.find("EUR 411.50") != std::string::npos);
        BOOST_TEST(tasksOf(w, w.dossierA).empty());
    });
}

BOOST_AUTO_TEST_CASE(a_plan_outside_the_limits_becomes_a_plan_request_task_and_keeps_the_status) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        const Reply r = d.post("plan", "instalments=12&first_date=2024-06-15");
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?ok=ok_plan_requested");
        BOOST_TEST(statusOf(w, w.dossierA) == "active");
        BOOST_TEST(!hasEvent(w, w.dossierA, "plan_approved"));
        const auto tasks = tasksOf(w, w.dossierA);
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].kind == "plan_request");
        BOOST_TEST(d.get().body.find("is being reviewed") != std::string::npos);
        BOOST_TEST(d.post("plan", "instalments=1&first_date=2024-06-15").header("Location").find("err_instalments") !=
                   std::string::npos);
        BOOST_TEST(d.post("plan", "instalments=3&first_date=2024-08-15").header("Location").find("err_plan_date") !=
                   std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_dispute_with_a_pdf_attachment_is_stored_as_a_document_and_pauses_the_dossier) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        const std::string body = multipart("XyZ", {{"csrf", d.csrf}, {"reason", "amount_wrong"}, {"message", "Only 10 boxes came."}},
                                           "../../etc/passwd.pdf", pdf);
        const Reply r = http(w.port, "POST", "/d/" + d.token + "/dispute", {}, body, "multipart/form-data; boundary=XyZ");
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?ok=ok_dispute");
        BOOST_TEST(statusOf(w, w.dossierA) == "disputed");
        const auto disputes = w.ctx.db->transaction(
            [&](store::Tx& tx) { return store::debtor_actions::disputes(tx, w.a.id, w.dossierA); });
        BOOST_TEST_REQUIRE(disputes.size() == 1u);
        BOOST_TEST(disputes[0].message == "Only 10 boxes came.");
        BOOST_TEST_REQUIRE(disputes[0].documentId.has_value());
        const auto doc = w.ctx.db->transaction(
            [&](store::Tx& tx) { return store::dossiers::document(tx, w.a.id, *disputes[0].documentId); });
        BOOST_TEST(doc->filename == "passwd.pdf");  // the uploaded name, never a path
        BOOST_TEST(doc->contentType == "application/pdf");
        BOOST_TEST(*w.ctx.blobs->get(doc->sha256) == pdf);
        const auto tasks = tasksOf(w, w.dossierA);
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].kind == "dispute");
        BOOST_TEST(d.get().body.find("id=\"dispute-open\"") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(an_attachment_that_is_not_pdf_png_or_jpeg_by_content_is_refused) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        const std::string body = multipart("B0", {{"csrf", d.csrf}, {"reason", "other"}, {"message", "see file"}},
                                           "invoice.pdf", "MZ\x90\x00 this is an executable");
        const Reply r = http(w.port, "POST", "/d/" + d.token + "/dispute", {}, body, "multipart/form-data; boundary=B0");
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?error=err_attachment_type#dispute");
        BOOST_TEST(statusOf(w, w.dossierA) == "active");
        BOOST_TEST(!hasEvent(w, w.dossierA, "dispute_opened"));
        BOOST_TEST(services::sniffUploadType("\x89PNG\r\n\x1a\nrest") == "png");
        BOOST_TEST(services::sniffUploadType("\xFF\xD8\xFF\xE0") == "jpeg");
        BOOST_TEST(services::safeUploadName("C:\\Users\\x\\scan 1.png") == "scan 1.png");
        BOOST_TEST(services::safeUploadName("..") == "");
    });
}

BOOST_AUTO_TEST_CASE(an_upload_above_the_bound_gets_413) {
    forEachBackend([](TestStore& s) {
        portal::PortalOptions opts;
        opts.maxUploadBytes = 4096;
        World w(s, opts);
        Debtor d(w, w.a.id, w.dossierA);
        const std::string body = multipart("B1", {{"csrf", d.csrf}, {"reason", "other"}, {"message", "big"}}, "a.pdf",
                                           "%PDF-" + std::string(5000, 'x'));
        const Reply r = http(w.port, "POST", "/d/" + d.token + "/dispute", {}, body, "multipart/form-data; boundary=B1");
        BOOST_TEST(r.status == 413);
        BOOST_TEST(!hasEvent(w, w.dossierA, "dispute_opened"));
    });
}

BOOST_AUTO_TEST_CASE(after_acceptance_the_page_asks_when_and_a_not_received_dispute_needs_review) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        BOOST_TEST(d.get().body.find("When will you pay?") == std::string::npos);
        BOOST_TEST(d.post("accept", "").header("Location") == "/d/" + d.token + "?ok=ok_accept");
        BOOST_TEST(d.post("accept", "").status == 303);  // twice: one acceptance, one event
        const auto kinds = eventKinds(w, w.dossierA);
        BOOST_TEST(std::count(kinds.begin(), kinds.end(), "invoice_accepted") == 1);
        const auto acc = w.ctx.db->transaction(
            [&](store::Tx& tx) { return store::debtor_actions::acceptance(tx, w.a.id, w.dossierA); });
        BOOST_TEST_REQUIRE(acc.has_value());
        BOOST_TEST(acc->acceptedAt.rfind("2024-06-01T10:00", 0) == 0);
        BOOST_TEST(acc->linkId.has_value());
        const Reply page = d.get();
        BOOST_TEST(page.body.find("When will you pay?") != std::string::npos);
        BOOST_TEST(page.body.find("You confirmed receipt and acceptance") != std::string::npos);

        BOOST_TEST(d.post("dispute", "reason=not_received&message=Never+got+it").status == 303);
        BOOST_TEST(statusOf(w, w.dossierA) == "active");  // not taken at face value
        const auto tasks = tasksOf(w, w.dossierA);
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].kind == "review");
        BOOST_TEST(tasks[0].priority == 1);
    });
}

BOOST_AUTO_TEST_CASE(contact_details_are_validated_and_each_change_recorded) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        BOOST_TEST(d.post("contact", "phone=0470+12").header("Location").find("err_phone") != std::string::npos);
        BOOST_TEST(d.post("contact", "email=nope").header("Location").find("err_email") != std::string::npos);
        BOOST_TEST(d.post("contact", "country=BE&postcode=12345").header("Location").find("err_postcode") !=
                   std::string::npos);
        BOOST_TEST(!hasEvent(w, w.dossierA, "contact_updated"));
        const Reply r = d.post("contact", "email=dora%40new.example&phone=%2B32+470+12+34+56&street=Kerkstraat+1&"
                                          "postcode=9000&city=Gent&country=be");
        BOOST_TEST(r.header("Location") == "/d/" + d.token + "?ok=ok_contact");
        BOOST_TEST(hasEvent(w, w.dossierA, "contact_updated"));
        const auto detail = services::dossierDetail(w.ctx, services::Principal{}, w.dossierA);
        BOOST_TEST(*detail->summary.debtor.email == "dora@new.example");
        BOOST_TEST(*detail->summary.debtor.phone == "+32470123456");
        BOOST_TEST(*detail->summary.debtor.country == "BE");
        BOOST_TEST(d.post("contact", "postcode=9000").header("Location") == "/d/" + d.token + "?ok=ok_contact_none");
        BOOST_TEST(d.post("contact", "country=NL&postcode=1012+AB").header("Location") ==
                   "/d/" + d.token + "?ok=ok_contact");
    });
}

BOOST_AUTO_TEST_CASE(a_reported_payment_is_an_event_and_a_payment_review_task) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        BOOST_TEST(d.post("paid", "date=2024-06-02&amount=10").header("Location").find("err_paid_date") !=
                   std::string::npos);
        BOOST_TEST(d.post("paid", "date=2024-05-30&amount=abc").header("Location").find("err_amount") !=
                   std::string::npos);
        BOOST_TEST(d.post("paid", "date=2024-05-30&amount=1234%2C50").header("Location") ==
                   "/d/" + d.token + "?ok=ok_paid");
        BOOST_TEST(hasEvent(w, w.dossierA, "paid_reported"));
        const auto tasks = tasksOf(w, w.dossierA);
        BOOST_TEST_REQUIRE(tasks.size() == 1u);
        BOOST_TEST(tasks[0].kind == "payment_review");
        BOOST_TEST(d.get().body.find("You reported a payment of EUR 1234.50 on 2024-05-30") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_language_comes_from_the_query_then_the_remembered_choice_then_accept_language) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        BOOST_TEST(d.get().body.find("<html lang=\"en\"") != std::string::npos);
        const Reply nl = d.get("", {{"Accept-Language", "nl-BE,nl;q=0.9,en;q=0.5"}});
        BOOST_TEST(nl.body.find("<html lang=\"nl\"") != std::string::npos);
        BOOST_TEST(nl.body.find("Betalingsverzoek van") != std::string::npos);
        const Reply fr = d.get("?lang=fr", {{"Accept-Language", "nl"}});
        BOOST_TEST(fr.body.find("<html lang=\"fr\"") != std::string::npos);
        BOOST_TEST(fr.body.find("Demande de paiement de") != std::string::npos);
        // Remembered: French from now on, whatever the browser says.
        BOOST_TEST(d.get("", {{"Accept-Language", "nl"}}).body.find("<html lang=\"fr\"") != std::string::npos);
        const auto detail = services::dossierDetail(w.ctx, services::Principal{}, w.dossierA);
        BOOST_TEST(detail->summary.dossier.language.value_or("") == "fr");
        BOOST_TEST(detail->summary.debtor.language.value_or("") == "fr");
        // The confirmation mail after a promise is in the remembered language.
        d.post("promise", "date=2024-06-20");
        const auto messages = w.ctx.db->transaction([&](store::Tx& tx) { return store::outbox::forDossier(tx, w.dossierA); });
        BOOST_TEST_REQUIRE(messages.size() == 1u);
        BOOST_TEST(messages[0].subject->find("Confirmation : vous payez") != std::string::npos);
        BOOST_TEST(messages[0].subject->find("20/06/2024") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_invoice_copy_is_the_pdf_original_or_404_when_there_is_none) {
    forEachBackend([](TestStore& s) {
        World w(s);
        Debtor d(w, w.a.id, w.dossierA);
        BOOST_TEST(d.get("/invoice").status == 404);
        BOOST_TEST(d.get().body.find("id=\"invoice-copy\"") == std::string::npos);
        const std::string pdf = "%PDF-1.7\nthe invoice\n%%EOF\n";
        w.ctx.db->transaction([&](store::Tx& tx) {
            const auto docId = store::dossiers::upsertDocument(
                tx, store::DocumentRecord{0, w.a.id, static_cast<std::int64_t>(pdf.size()), w.ctx.blobs->put(pdf),
                                          "application/pdf", "INV A 1.pdf"},
                w.ctx.now());
            tx.exec("UPDATE invoices SET document_id = $1 WHERE dossier_id = $2", {docId, w.dossierA});
        });
        BOOST_TEST(d.get().body.find("id=\"invoice-copy\"") != std::string::npos);
        const Reply r = d.get("/invoice");
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.header("Content-Type") == "application/pdf");
        BOOST_TEST(r.header("Content-Disposition") == "attachment; filename=\"invoice-INV-A-1.pdf\"");
        BOOST_TEST(r.body == pdf);
    });
}

BOOST_AUTO_TEST_CASE(a_plan_schedule_splits_the_amount_monthly_with_the_remainder_last) {
    const auto s = services::planSchedule(10001, 3, *parsers::CivilDate::fromYmd(2024, 1, 31));
    BOOST_TEST_REQUIRE(s.size() == 3u);
    BOOST_TEST(s[0].dueDate == "2024-01-31");
    BOOST_TEST(s[1].dueDate == "2024-02-29");
    BOOST_TEST(s[2].dueDate == "2024-03-31");
    BOOST_TEST(s[0].amountMinor == 3333);
    BOOST_TEST(s[2].amountMinor == 3335);
}

BOOST_AUTO_TEST_SUITE_END()
