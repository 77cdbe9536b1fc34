// The creditor and staff pages over HTTP: dashboard, search with keyset paging, the dossier
// workspace with every message in full, the staff task list (close, log a call) and the legal file.
#include "PortalFixture.h"

#include "gateway/services/DebtorActions.h"
#include "gateway/services/DossierQueries.h"
#include "gateway/services/LegalFile.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/Secrets.h"
#include "store/TaskRepository.h"

#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

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

std::int64_t disputeTask(World& w, std::int64_t creditorId, std::int64_t dossierId) {
    const auto scope = services::debtorLink(w.ctx, w.linkFor(creditorId, dossierId));
    services::openDispute(w.ctx, *scope, "quality", "Broken crates", std::nullopt, {}, "127.0.0.1");
    return w.ctx.db->transaction([&](store::Tx& tx) {
        store::tasks::Filter f;
        f.dossierId = dossierId;
        return store::tasks::list(tx, std::nullopt, f).at(0).id;
    });
}

std::map<std::string, std::string> unzip(const std::string& zip) {
    std::map<std::string, std::string> files;
    std::istringstream in(zip);
    Poco::Zip::ZipArchive archive(in);
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        std::istringstream again(zip);
        Poco::Zip::ZipInputStream zin(again, it->second);
        std::string bytes((std::istreambuf_iterator<char>(zin)), std::istreambuf_iterator<char>());
        files[it->first] = bytes;
    }
    return files;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_work_pages)

BOOST_AUTO_TEST_CASE(the_dashboard_shows_the_creditors_own_totals_and_two_svg_charts) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply r = http(w.port, "GET", "/dashboard", session(w.loginAs("alice@acme.example")));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(countOf(r.body, "<svg class=\"bars\"") == 2u);
        BOOST_TEST(r.body.find("EUR 1234.50") != std::string::npos);
        BOOST_TEST(r.body.find("EUR 999.00") == std::string::npos);  // B's
        BOOST_TEST(r.body.find("31-60 days") != std::string::npos);
        BOOST_TEST(r.body.find("<script") == std::string::npos);
        // The dossier is due 2024-05-31, the clock says 2024-06-01: bucket 0-30.
        const auto d = services::dashboard(w.ctx, services::Principal{w.a.id, std::nullopt, "A"});
        BOOST_TEST(d.ageingMinor[0] == 123450);
        BOOST_TEST(d.ageingCount[0] == 1);
        BOOST_TEST(d.collectedPerWeek.size() == 8u);
        // Invoiced EUR 1234.50 on 2024-05-01 (within 90 days), all of it open: DSO 90 days.
        BOOST_TEST(d.dsoDays.value_or(-1) == 90);
        BOOST_TEST(r.body.find("90 days") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_search_finds_by_name_invoice_number_amount_and_pages_by_key) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        for (int i = 0; i < 55; ++i)
            w.addDossier(w.a.id, "Bulk Debtor " + std::to_string(i), "DG-BULK-" + std::to_string(i),
                         "INV-BULK-" + std::to_string(i), 1000 + i);
        const Headers h = session(w.loginAs("alice@acme.example"));
        auto get = [&](const std::string& path) { return http(w.port, "GET", path, h); };
        Reply r = get("/?q=dora");
        BOOST_TEST(r.body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(r.body.find("DG-BULK-") == std::string::npos);
        BOOST_TEST(get("/?q=INV-A-1").body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(get("/?amount=1234%2C50").body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(get("/?q=INV-B-SECRET").body.find("DG-B-1") == std::string::npos);  // B's: not in scope
        BOOST_TEST(get("/?q=dora&status=paid").body.find("DG-A-1") == std::string::npos);
        BOOST_TEST(get("/?q=%25").body.find("DG-A-1") == std::string::npos);  // % is literal, not a wildcard
        // 56 dossiers: 50 on the first page (newest first), then the rest from the keyset link.
        r = get("/");
        BOOST_TEST(countOf(r.body, "href=\"/dossiers/") == 50u);
        BOOST_TEST(r.body.find("DG-BULK-54") != std::string::npos);
        const auto p = r.body.find("href=\"/?before=");
        BOOST_TEST_REQUIRE(p != std::string::npos);
        const std::string next = r.body.substr(p + 6, r.body.find('"', p + 6) - p - 6);
        const Reply second = get(next);
        BOOST_TEST(countOf(second.body, "href=\"/dossiers/") == 6u);
        BOOST_TEST(second.body.find("DG-A-1") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_workspace_shows_every_message_in_full_tasks_and_next_actions) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.db->transaction([&](store::Tx& tx) {
            services::queueMessage(w.ctx, tx,
                                   services::QueuedMessage{w.a.id, w.dossierA, "reminder:1", "email", "reminder",
                                                           "dora@debtor.example", "Reminder INV-A-1",
                                                           "Dear Dora,\nThe whole text of the reminder, line two.\n"});
        });
        disputeTask(w, w.a.id, w.dossierA);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply r = http(w.port, "GET", "/dossiers/" + std::to_string(w.dossierA), session(w.loginAs("alice@acme.example")));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body.find("The whole text of the reminder, line two.") != std::string::npos);
        BOOST_TEST(r.body.find("Dispute: quality") != std::string::npos);
        BOOST_TEST(r.body.find("Broken crates") != std::string::npos);
        BOOST_TEST(r.body.find("reminder (email) to dora@debtor.example") != std::string::npos);  // planned next
        BOOST_TEST(r.body.find("/dossiers/" + std::to_string(w.dossierA) + "/legal-file") != std::string::npos);
        BOOST_TEST(r.body.find("action=\"/dossiers/" + std::to_string(w.dossierA) + "/call\"") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_case_manager_works_a_task_logs_a_call_with_a_promise_and_closes_it) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto taskId = disputeTask(w, w.a.id, w.dossierA);
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const Headers h = session(w.loginAs("sam@agency.example"));
        Reply list = http(w.port, "GET", "/tasks", h);
        BOOST_TEST(list.status == 200);
        BOOST_TEST(list.body.find("Dispute: quality") != std::string::npos);
        BOOST_TEST(list.body.find("(today)") != std::string::npos);
        BOOST_TEST(list.body.find("Acme Tools BV") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/tasks?kind=call", h).body.find("Dispute: quality") == std::string::npos);
        const std::string csrf = csrfOf(list.body);
        const std::string page = "/dossiers/" + std::to_string(w.dossierA);
        const Reply ws = http(w.port, "GET", page + "?task=" + std::to_string(taskId), h);
        BOOST_TEST(ws.body.find("action=\"" + page + "/call\"") != std::string::npos);
        BOOST_TEST(http(w.port, "POST", page + "/call", h, "subject=x&outcome=y").status == 403);  // no CSRF
        Reply r = http(w.port, "POST", page + "/call", h,
                       "csrf=" + csrf + "&subject=Called+Dora&outcome=Will+pay+after+the+credit+note&promise_date=2024-06-10"
                       "&next_step=Check+on+the+10th&task=" + std::to_string(taskId));
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == page + "?ok=call");
        const auto detail = services::dossierDetail(w.ctx, services::Principal{}, w.dossierA);
        bool call = false, promise = false;
        for (const auto& e : detail->events) {
            call = call || (e.kind == "call_logged" && e.summary.find("Called Dora") != std::string::npos);
            promise = promise || (e.kind == "promise_recorded" && e.channel == std::optional<std::string>("phone"));
        }
        BOOST_TEST(call);
        BOOST_TEST(promise);
        const auto task = w.ctx.db->transaction([&](store::Tx& tx) { return store::tasks::byId(tx, std::nullopt, taskId); });
        BOOST_TEST(task->state == "done");
        r = http(w.port, "POST", page + "/call", h, "csrf=" + csrf + "&subject=&outcome=y");
        BOOST_TEST(r.header("Location") == page + "?error=subject#call");
        BOOST_TEST(http(w.port, "GET", page + "?error=subject", h).body.find("Please check the form: Subject") !=
                   std::string::npos);
        BOOST_TEST(http(w.port, "GET", page + "?error=Call+0900+now", h).body.find("0900") == std::string::npos);
        // Close another task from the list.
        const auto other = disputeTask(w, w.b.id, w.dossierB);
        r = http(w.port, "POST", "/tasks/" + std::to_string(other) + "/close", h, "csrf=" + csrf);
        BOOST_TEST(r.header("Location") == "/tasks?ok=closed");
        BOOST_TEST(http(w.port, "POST", "/tasks/" + std::to_string(other) + "/close", h, "csrf=" + csrf).status == 404);
    });
}

BOOST_AUTO_TEST_CASE(a_case_manager_approves_a_requested_plan_and_resolves_a_dispute) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto scopeA = services::debtorLink(w.ctx, w.linkFor(w.a.id, w.dossierA));
        const auto plan = services::requestPlan(w.ctx, *scopeA, "12", "2024-06-15", {});
        BOOST_TEST(!plan.approved);
        disputeTask(w, w.b.id, w.dossierB);
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Headers sam = session(w.loginAs("sam@agency.example"));
        const Headers alice = session(w.loginAs("alice@acme.example"));
        const std::string pageA = "/dossiers/" + std::to_string(w.dossierA);
        const std::string pageB = "/dossiers/" + std::to_string(w.dossierB);
        const Reply ws = http(w.port, "GET", pageA, sam);
        BOOST_TEST(ws.body.find("action=\"" + pageA + "/plan/approve\"") != std::string::npos);
        const std::string csrf = csrfOf(ws.body);
        const std::string aliceCsrf = csrfOf(http(w.port, "GET", "/", alice).body);
        BOOST_TEST(http(w.port, "POST", pageA + "/plan/approve", alice, "csrf=" + aliceCsrf).status == 403);
        BOOST_TEST(http(w.port, "POST", pageA + "/plan/approve", sam, "csrf=" + csrf).header("Location") ==
                   pageA + "?ok=plan");
        BOOST_TEST(services::dossierDetail(w.ctx, services::Principal{}, w.dossierA)->summary.dossier.status == "plan");
        BOOST_TEST(http(w.port, "POST", pageA + "/plan/approve", sam, "csrf=" + csrf).status == 404);  // none requested
        BOOST_TEST(services::dossierDetail(w.ctx, services::Principal{}, w.dossierB)->summary.dossier.status == "disputed");
        BOOST_TEST(http(w.port, "POST", pageB + "/dispute/resolve", sam, "csrf=" + csrf + "&resolution=Credit+note+sent")
                       .header("Location") == pageB + "?ok=resolved");
        BOOST_TEST(services::dossierDetail(w.ctx, services::Principal{}, w.dossierB)->summary.dossier.status == "active");
        BOOST_TEST(http(w.port, "POST", pageB + "/dispute/resolve", sam, "csrf=" + csrf + "&resolution=again")
                       .header("Location") == pageB + "?error=decision");
    });
}

BOOST_AUTO_TEST_CASE(the_legal_file_zip_holds_every_document_message_and_event_with_a_sha256_manifest) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.db->transaction([&](store::Tx& tx) {
            services::queueMessage(w.ctx, tx,
                                   services::QueuedMessage{w.a.id, w.dossierA, "notice:x", "email", "payment_notice",
                                                           "dora@debtor.example", "Payment notice", "Please pay, Dora."});
        });
        const auto scope = services::debtorLink(w.ctx, w.linkFor(w.a.id, w.dossierA));
        services::openDispute(w.ctx, *scope, "other", "See the photo", services::Upload{"photo.png", "\x89PNG\r\n\x1a\nxx"},
                              {}, "127.0.0.1");
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply r = http(w.port, "GET", "/dossiers/" + std::to_string(w.dossierA) + "/legal-file",
                             session(w.loginAs("alice@acme.example")));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.header("Content-Type") == "application/zip");
        BOOST_TEST(r.header("Content-Disposition") == "attachment; filename=\"legal-file-DG-A-1.zip\"");
        const auto files = unzip(r.body);
        BOOST_TEST(files.count("dossier.txt") == 1u);
        BOOST_TEST(files.count("timeline.csv") == 1u);
        BOOST_TEST(files.count("manifest.sha256") == 1u);
        BOOST_TEST(files.count("messages/001-payment_notice.eml") == 1u);
        bool photo = false;
        for (const auto& [name, bytes] : files) photo = photo || name.find("photo.png") != std::string::npos;
        BOOST_TEST(photo);
        BOOST_TEST(files.at("messages/001-payment_notice.eml").find("Please pay, Dora.") != std::string::npos);
        BOOST_TEST(files.at("timeline.csv").find("dispute_opened") != std::string::npos);
        // Every file but the manifest is in the manifest with its sha256.
        const std::string& manifest = files.at("manifest.sha256");
        for (const auto& [name, bytes] : files) {
            if (name == "manifest.sha256") continue;
            BOOST_TEST(manifest.find(services::sha256Hex(bytes) + "  " + name + "\n") != std::string::npos, name);
        }
        BOOST_TEST(services::csvField("a,\"b\"") == "\"a,\"\"b\"\"\"");
    });
}

BOOST_AUTO_TEST_CASE(the_portal_pages_follow_the_language_choice) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string cookie = w.loginAs("alice@acme.example");
        Reply r = http(w.port, "GET", "/dashboard", {{"Cookie", "dg_session=" + cookie}, {"Accept-Language", "fr-BE"}});
        BOOST_TEST(r.body.find("<html lang=\"fr\"") != std::string::npos);
        BOOST_TEST(r.body.find("Tableau de bord") != std::string::npos);
        r = http(w.port, "GET", "/?lang=nl", session(cookie));
        BOOST_TEST(r.body.find("<html lang=\"nl\"") != std::string::npos);
        BOOST_TEST(r.setCookie("dg_lang").rfind("dg_lang=nl;", 0) == 0);
        r = http(w.port, "GET", "/dashboard", {{"Cookie", "dg_session=" + cookie + "; dg_lang=nl"}});
        BOOST_TEST(r.body.find("Overzicht") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/login?lang=fr").body.find("Mot de passe") != std::string::npos);
    });
}

BOOST_AUTO_TEST_SUITE_END()
