// Issue 14, item 5: every route as every kind of principal. Creditor A on B's ids, a debtor token
// on another dossier, a creditor user on the case managers' pages, and anonymous requests each get
// only their own data or 404/403 (or the login redirect / 401): never B's data.
#include "CamtFixture.h"
#include "PortalFixture.h"

#include "gateway/services/AccountService.h"
#include "gateway/services/DebtorActions.h"
#include "gateway/services/WebhookService.h"
#include "store/CreditorPortalRepository.h"
#include "store/TaskRepository.h"
#include "gateway/services/FileIntake.h"
#include "gateway/services/payments/PaymentService.h"

using namespace duegate;
using namespace duegate::testing;

namespace {

struct Case {
    std::string method, path, body;
};

std::string csrfOf(const std::string& body) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return body.substr(start, body.find('"', start) - start);
}

// Words that only B's dossier contains: none of them may ever reach A, a debtor of A or anonymous.
const char* const kSecrets[] = {"INV-B-SECRET", "Zed Hidden", "Bravo Secret", "DG-B-1"};

void noSecrets(const Reply& r, const std::string& what) {
    for (const char* s : kSecrets) BOOST_TEST(r.body.find(s) == std::string::npos, what << " leaks " << s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_security_matrix)

BOOST_AUTO_TEST_CASE(every_route_as_every_principal_gets_only_its_own_data_or_404_403) {
    forEachBackend([](TestStore& s) {
        World w(s);
        // B's task and document exist, so ids of B's things are real ids.
        const auto scopeB = services::debtorLink(w.ctx, w.linkFor(w.b.id, w.dossierB));
        services::openDispute(w.ctx, *scopeB, "other", "B's private words", services::Upload{"b.pdf", "%PDF-b"}, {},
                              "127.0.0.1");
        const auto taskB = w.ctx.db->transaction([&](store::Tx& tx) {
            store::tasks::Filter f;
            f.dossierId = w.dossierB;
            return store::tasks::list(tx, std::nullopt, f).at(0).id;
        });
        const std::string b = std::to_string(w.dossierB);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const std::string alice = w.loginAs("alice@acme.example");
        const std::string sam = w.loginAs("sam@agency.example");
        const Headers asAlice{{"Cookie", "dg_session=" + alice}};
        const Headers asSam{{"Cookie", "dg_session=" + sam}};
        const std::string aliceCsrf = csrfOf(http(w.port, "GET", "/", asAlice).body);
        // B's own user and API key (StaffRoutes.cpp): A must never reach them.
        const auto bobId = w.addUser(w.b.id, "bob@bravo.example", "Bob Bravo");
        const auto keyB = services::createApiKey(w.ctx, services::Principal{w.b.id, bobId, "Bob Bravo"}, "B's ERP");
        const std::string bob = std::to_string(bobId);

        // 1. Creditor A (session) on B's ids: 404 for reads, 403/404 for writes; never B's data.
        const std::vector<std::pair<Case, int>> onB{
            {{"GET", "/dossiers/" + b, ""}, 404},
            {{"GET", "/dossiers/" + b + "/legal-file", ""}, 404},
            {{"GET", "/dossiers/" + b + "/documents/1", ""}, 404},
            {{"GET", "/dossiers/" + b + "/documents/2", ""}, 404},
            {{"GET", "/api/v1/dossiers/" + b, ""}, 404},
            {{"GET", "/api/v1/dossiers/" + b + "/events", ""}, 404},
            {{"POST", "/dossiers/" + b + "/call", "csrf=" + aliceCsrf + "&subject=x&outcome=y"}, 403},
            {{"POST", "/tasks/" + std::to_string(taskB) + "/close", "csrf=" + aliceCsrf}, 403},
            {{"GET", "/tasks", ""}, 403},
            // The case managers' dossier forms and the admin pages: 403 for a creditor user.
            {{"POST", "/dossiers/" + b + "/assign", "csrf=" + aliceCsrf + "&user="}, 403},
            {{"POST", "/dossiers/" + b + "/plan/refuse", "csrf=" + aliceCsrf + "&reason=x"}, 403},
            {{"POST", "/dossiers/" + b + "/message", "csrf=" + aliceCsrf + "&to=debtor&subject=x&body=y"}, 403},
            {{"POST", "/dossiers/" + b + "/close", "csrf=" + aliceCsrf + "&outcome=paid&reason=x"}, 403},
            {{"GET", "/admin", ""}, 403},
            {{"GET", "/admin/creditors/" + std::to_string(w.b.id), ""}, 403},
            {{"POST", "/admin/creditors", "csrf=" + aliceCsrf + "&name=X&intake=x%40duegate.example"}, 403},
            {{"POST", "/admin/creditors/" + std::to_string(w.b.id), "csrf=" + aliceCsrf + "&fee=1"}, 403},
            {{"POST", "/admin/users", "csrf=" + aliceCsrf + "&email=x%40a.example&password=long-enough-pw&role=staff"}, 403},
            {{"POST", "/admin/users/" + bob + "/disable", "csrf=" + aliceCsrf}, 403},
            {{"POST", "/admin/users/" + bob + "/role", "csrf=" + aliceCsrf + "&role=admin"}, 403},
            {{"POST", "/admin/users/" + bob + "/totp-reset", "csrf=" + aliceCsrf}, 403},
            {{"GET", "/review/pdf", ""}, 403},
            {{"POST", "/quarantine/1/pdf", "csrf=" + aliceCsrf}, 403},
            {{"GET", "/review/pdf/1", ""}, 403},
            {{"GET", "/review/pdf/1/file", ""}, 403},
            {{"POST", "/review/pdf/1", "csrf=" + aliceCsrf + "&invoice_number=x&ok_invoice_number=1"}, 403},
            // A's own account pages on B's user and key: the same 404 as a missing id.
            {{"POST", "/account/users/" + bob + "/disable", "csrf=" + aliceCsrf}, 404},
            {{"POST", "/account/users/" + bob + "/enable", "csrf=" + aliceCsrf}, 404},
            {{"POST", "/account/users/" + bob + "/totp-reset", "csrf=" + aliceCsrf}, 404},
            {{"POST", "/account/keys/" + std::to_string(keyB.id) + "/revoke", "csrf=" + aliceCsrf}, 404},
        };
        for (const auto& [c, status] : onB) {
            const Reply r = http(w.port, c.method, c.path, asAlice, c.body.empty() ? std::nullopt : std::optional(c.body));
            BOOST_TEST(r.status == status, "creditor A " << c.method << " " << c.path << " -> " << r.status);
            noSecrets(r, "creditor A " + c.path);
        }
        // B's user and key still work; B's dossier was not touched.
        BOOST_TEST(!w.loginAs("bob@bravo.example").empty());
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers", {{"Authorization", "Bearer " + keyB.key}}).status == 200);
        BOOST_TEST(services::dossierDetail(w.ctx, services::Principal{}, w.dossierB)->summary.dossier.status == "disputed");
        // A's own lists, dashboard and search never show B.
        for (const std::string& path : std::vector<std::string>{"/", "/dashboard", "/quarantine", "/?q=Zed", "/?q=INV-B", "/api/v1/dossiers", "/account"}) {
            const Reply r = http(w.port, "GET", path, asAlice);
            BOOST_TEST(r.status == 200, path);
            noSecrets(r, "creditor A " + path);
        }
        // B's task is still open: A's attempt to close it did nothing.
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) { return store::tasks::byId(tx, std::nullopt, taskB); })->state ==
                   "open");

        // 2. A's API key on B's ids: the same 404 as a missing id.
        const Headers keyA{{"Authorization", "Bearer " + w.a.apiKey}};
        for (const std::string& path : std::vector<std::string>{"/api/v1/dossiers/" + b, "/api/v1/dossiers/" + b + "/events"}) {
            const Reply r = http(w.port, "GET", path, keyA);
            const Reply missing = http(w.port, "GET", "/api/v1/dossiers/999999", keyA);
            BOOST_TEST(r.status == 404);
            BOOST_TEST(r.body == missing.body);
        }

        // 3. Anonymous: portal pages redirect to the login, the API says 401, staff forms do nothing.
        for (const std::string& path : std::vector<std::string>{"/", "/dashboard", "/tasks", "/quarantine", "/dossiers/" + b,
                                       "/dossiers/" + b + "/legal-file", "/dossiers/" + b + "/documents/1", "/admin",
                                       "/admin/creditors/" + std::to_string(w.b.id), "/account", "/review/pdf",
                                       "/review/pdf/1", "/review/pdf/1/file"}) {
            const Reply r = http(w.port, "GET", path);
            BOOST_TEST(r.status == 303, path);
            BOOST_TEST(r.header("Location") == "/login");
            noSecrets(r, "anonymous " + path);
        }
        for (const std::string& path : std::vector<std::string>{"/api/v1/dossiers", "/api/v1/dossiers/" + b}) {
            const Reply r = http(w.port, "GET", path);
            BOOST_TEST(r.status == 401, path);
            noSecrets(r, "anonymous " + path);
        }
        BOOST_TEST(http(w.port, "POST", "/tasks/" + std::to_string(taskB) + "/close", {}, "csrf=x").status == 303);
        for (const std::string& path : std::vector<std::string>{"/dossiers/" + b + "/assign", "/dossiers/" + b + "/plan/refuse",
                                       "/dossiers/" + b + "/message", "/dossiers/" + b + "/close", "/admin/creditors",
                                       "/admin/users", "/admin/users/" + bob + "/disable", "/admin/users/" + bob + "/totp-reset",
                                       "/account/users/" + bob + "/totp-reset", "/account/users",
                                       "/account/keys", "/account/keys/" + std::to_string(keyB.id) + "/revoke", "/review/pdf/1",
                                       "/quarantine/1/pdf"}) {
            const Reply r = http(w.port, "POST", path, {}, "csrf=x&outcome=paid&reason=x");
            BOOST_TEST(r.status == 303, "anonymous POST " << path);
            BOOST_TEST(r.header("Location") == "/login");
        }
        BOOST_TEST(services::dossierDetail(w.ctx, services::Principal{}, w.dossierB)->summary.dossier.status == "disputed");

        // 4. A debtor of A: the token opens A's dossier only; it is no session for the portal; a
        // forged token naming B's link id is 404 on every debtor route.
        const std::string tokenA = w.linkFor(w.a.id, w.dossierA);
        const Reply own = http(w.port, "GET", "/d/" + tokenA);
        BOOST_TEST(own.status == 200);
        noSecrets(own, "debtor A page");
        const std::string csrfA = csrfOf(own.body);
        const std::string tokenB = w.linkFor(w.b.id, w.dossierB);
        const std::string forged = tokenB.substr(0, tokenB.find('.')) + tokenA.substr(tokenA.find('.'));
        for (const std::string& suffix : std::vector<std::string>{"", "/invoice"}) {
            const Reply r = http(w.port, "GET", "/d/" + forged + suffix);
            BOOST_TEST(r.status == 404);
            noSecrets(r, "forged token GET " + suffix);
        }
        for (const std::string& action : std::vector<std::string>{"promise", "paid", "plan", "dispute", "contact", "accept"}) {
            const Reply r = http(w.port, "POST", "/d/" + forged + "/" + action, {}, "csrf=" + csrfA + "&date=2024-06-10");
            BOOST_TEST(r.status == 404, action);
        }
        // The CSRF token of A's link does not work on B's link.
        BOOST_TEST(http(w.port, "POST", "/d/" + tokenB + "/accept", {}, "csrf=" + csrfA).status == 403);
        for (const std::string& path : std::vector<std::string>{"/", "/dossiers/" + std::to_string(w.dossierA), "/tasks"})
            BOOST_TEST(http(w.port, "GET", path, {{"Cookie", "dg_session=" + tokenA}}).status == 303);

        // 5. Staff see both creditors and work B's task.
        for (const std::string& path : std::vector<std::string>{"/dossiers/" + b, "/dossiers/" + b + "/legal-file", "/tasks", "/dashboard"})
            BOOST_TEST(http(w.port, "GET", path, asSam).status == 200, path);
        // Staff have no creditor account page; a staff admin (made on the command line) has /admin.
        BOOST_TEST(http(w.port, "GET", "/account", asSam).status == 403);
        BOOST_TEST(http(w.port, "GET", "/admin", asSam).status == 200);
        const std::string samCsrf = csrfOf(http(w.port, "GET", "/tasks", asSam).body);
        BOOST_TEST(http(w.port, "POST", "/tasks/" + std::to_string(taskB) + "/close", asSam, "csrf=" + samCsrf).status ==
                   303);
    });
}

// The finance queue (FinanceRoutes.cpp): creditor A never sees or works B's statement lines, and
// never books its own line on B's dossier; anonymous users get the login; staff see both.
BOOST_AUTO_TEST_CASE(the_finance_queue_as_every_principal) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string ibanB = "BE43068999999501";
        w.ctx.db->transaction([&](store::Tx& tx) { store::creditors::addIban(tx, w.b.id, ibanB, std::nullopt, w.ctx.now()); });
        const auto importB = services::importFile(
            w.ctx, w.b.id, "api", "b.xml",
            camt(ibanB, "STMT-B", {{99900, "Zed Hidden Debtor", "BE71096123456769", "", "INV-B-SECRET"},
                                   {5000, "Zed Hidden Debtor", "BE71096123456769", "", "Bravo Secret extra"}}));
        BOOST_REQUIRE(importB.applied);
        const auto importA = services::importFile(w.ctx, w.a.id, "api", "a.xml",
                                                  camt(kIbanA, "STMT-A", {{700, "Somebody", "BE62510007547061", "", "hello"}}));
        BOOST_REQUIRE(importA.applied);
        std::int64_t lineA = 0, matchedB = 0, openB = 0;
        for (const auto& it : services::payments::listPayments(w.ctx, services::Principal{}, std::vector<std::string>{}, 500, 0)) {
            if (it.line.amountMinor == 700) lineA = it.line.id;
            if (it.line.amountMinor == 99900) matchedB = it.line.id;
            if (it.line.amountMinor == 5000) openB = it.line.id;
        }
        BOOST_REQUIRE(lineA > 0);
        BOOST_REQUIRE(matchedB > 0);
        BOOST_REQUIRE(openB > 0);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const Headers asAlice{{"Cookie", "dg_session=" + w.loginAs("alice@acme.example")}};
        const Headers asSam{{"Cookie", "dg_session=" + w.loginAs("sam@agency.example")}};
        const std::string csrf = csrfOf(http(w.port, "GET", "/payments", asAlice).body);
        const std::string b = std::to_string(w.dossierB);

        // 1. A on B's lines: 404 for every read and every action; nothing changes.
        for (const std::int64_t line : {matchedB, openB}) {
            const std::string p = "/payments/" + std::to_string(line);
            const std::vector<std::pair<std::string, std::string>> onB{
                {"GET", p},
                {"GET", p + "?q=Zed"},
                {"POST", p + "/confirm"},
                {"POST", p + "/match"},
                {"POST", p + "/mark"},
                {"POST", p + "/undo"},
            };
            for (const auto& [method, path] : onB) {
                const std::string body = "csrf=" + csrf + "&dossier=" + b + "&amount_" + b + "=1.00&mark=not_ours&reason=x";
                const Reply r = http(w.port, method, path, asAlice, method == "POST" ? std::optional(body) : std::nullopt);
                BOOST_TEST(r.status == 404, "creditor A " << method << " " << path << " -> " << r.status);
                noSecrets(r, "creditor A " + path);
            }
        }
        BOOST_TEST(services::payments::payment(w.ctx, services::Principal{}, matchedB)->state == "matched");
        BOOST_TEST(services::payments::payment(w.ctx, services::Principal{}, openB)->state != "not_ours");
        // A's own line on B's dossier: the same 404 as a missing dossier.
        const Reply cross = http(w.port, "POST", "/payments/" + std::to_string(lineA) + "/match", asAlice,
                                 "csrf=" + csrf + "&amount_" + b + "=7.00");
        BOOST_TEST(cross.status == 404);
        noSecrets(cross, "creditor A match on B's dossier");
        // A's queue, whatever the filters say, shows A's line and nothing of B.
        for (const std::string& path : std::vector<std::string>{"/payments", "/payments?state=all", "/payments?state=matched",
                                                                "/payments?state=all&creditor=" + std::to_string(w.b.id),
                                                                "/payments?state=all&dossier=" + b, "/payments/upload",
                                                                "/payments/" + std::to_string(lineA) + "?q=Zed"}) {
            const Reply r = http(w.port, "GET", path, asAlice);
            BOOST_TEST(r.status == 200, path);
            noSecrets(r, "creditor A " + path);
        }
        BOOST_TEST(http(w.port, "GET", "/payments", asAlice).body.find("line-" + std::to_string(lineA)) != std::string::npos);
        // A uploading B's statement imports nothing: the account is not A's.
        const std::string boundary = "----matrixBoundary";
        const std::string upload = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf +
                                   "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b2.xml\"\r\n\r\n" +
                                   camt(ibanB, "STMT-B2", {{1111, "Zed Hidden Debtor", "BE71096123456769", "", "x"}}) +
                                   "\r\n--" + boundary + "--\r\n";
        const Reply up = http(w.port, "POST", "/payments/upload", asAlice, upload, "multipart/form-data; boundary=" + boundary);
        BOOST_TEST(up.status == 422);
        noSecrets(up, "creditor A upload of B's statement");

        // 2. Anonymous: the login for pages and forms; nothing done.
        for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", "/payments"}, {"GET", "/payments/upload"}, {"GET", "/payments/" + std::to_string(openB)},
                 {"POST", "/payments/" + std::to_string(openB) + "/mark"}, {"POST", "/payments/upload"}}) {
            const Reply r = http(w.port, method, path, {}, method == "POST" ? std::optional<std::string>("mark=not_ours") : std::nullopt);
            BOOST_TEST(r.status == 303, path);
            BOOST_TEST(r.header("Location") == "/login");
            noSecrets(r, "anonymous " + path);
        }
        BOOST_TEST(services::payments::payment(w.ctx, services::Principal{}, openB)->state != "not_ours");
        // The wrong kind of principal: a debtor's token as a session, or B's API key, is no portal session.
        const std::string tokenB = w.linkFor(w.b.id, w.dossierB);
        for (const Headers& wrong : std::vector<Headers>{{{"Cookie", "dg_session=" + tokenB}},
                                                         {{"Authorization", "Bearer " + w.b.apiKey}}}) {
            for (const std::string& path : std::vector<std::string>{"/payments", "/payments/" + std::to_string(openB)}) {
                const Reply r = http(w.port, "GET", path, wrong);
                BOOST_TEST(r.status == 303, path);
                noSecrets(r, "wrong principal " + path);
            }
            BOOST_TEST(http(w.port, "POST", "/payments/" + std::to_string(openB) + "/mark", wrong, "mark=not_ours").status == 303);
        }
        BOOST_TEST(services::payments::payment(w.ctx, services::Principal{}, openB)->state != "not_ours");

        // 3. Staff see and work B's lines.
        BOOST_TEST(http(w.port, "GET", "/payments/" + std::to_string(openB), asSam).status == 200);
        const Reply all = http(w.port, "GET", "/payments?state=all", asSam);
        BOOST_TEST(all.body.find("line-" + std::to_string(matchedB)) != std::string::npos);
        const std::string samCsrf = csrfOf(all.body);
        BOOST_TEST(http(w.port, "POST", "/payments/" + std::to_string(openB) + "/mark", asSam,
                        "csrf=" + samCsrf + "&mark=not_ours")
                       .status == 303);
        BOOST_TEST(services::payments::payment(w.ctx, services::Principal{}, openB)->state == "not_ours");
    });
}

// --- creditor: the creditor's tools (CreditorRoutes.cpp) as every principal. B has an endpoint, a
// delivery and notification settings; A's user, A's debtor, staff and anonymous never reach them.
BOOST_AUTO_TEST_CASE(creditor_tools_as_every_principal) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto bobId = w.addUser(w.b.id, "bob@bravo.example", "Bob Bravo");
        const auto endpointB = services::addWebhookEndpoint(w.ctx, services::Principal{w.b.id, bobId, "Bob Bravo"},
                                                            "http://127.0.0.1:9/bravo-secret-hook", {"paid"});
        w.ctx.db->transaction([&](store::Tx& tx) {
            store::events::append(tx, store::EventRecord{0, w.b.id, w.dossierB, w.ctx.now(), "dossier_paid", std::nullopt,
                                                         "Dossier DG-B-1 paid", std::nullopt});
        });
        w.clock->advanceSeconds(1);
        services::queueWebhooks(w.ctx);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const Headers asAlice{{"Cookie", "dg_session=" + w.loginAs("alice@acme.example")}};
        const Headers asSam{{"Cookie", "dg_session=" + w.loginAs("sam@agency.example")}};
        const std::string aliceCsrf = csrfOf(http(w.port, "GET", "/creditor", asAlice).body);
        const std::string samCsrf = csrfOf(http(w.port, "GET", "/tasks", asSam).body);
        const std::string period = "from=2024-01-01&to=2024-12-31";
        const std::vector<std::string> gets{"/creditor", "/dossiers/new", "/upload", "/upload/template.csv",
                                            "/upload/template.xlsx", "/reports", "/reports/download?report=dossiers&" + period + "&format=csv",
                                            "/reports/download?report=payments&" + period + "&format=csv",
                                            "/reports/download?report=kpis&" + period + "&format=csv",
                                            "/notifications", "/webhooks", "/webhooks/deliveries"};
        const std::string bEndpoint = "/webhooks/" + std::to_string(endpointB.id) + "/delete";
        // Creditor A: 200 on every page, never B's data; B's endpoint: 404; no CSRF: 403.
        for (const auto& path : gets) {
            const Reply r = http(w.port, "GET", path, asAlice);
            BOOST_TEST(r.status == 200, "creditor A GET " << path);
            noSecrets(r, "creditor A " + path);
            BOOST_TEST(r.body.find("bravo-secret-hook") == std::string::npos, path);
            BOOST_TEST(r.body.find(endpointB.secret) == std::string::npos, path);
        }
        BOOST_TEST(http(w.port, "POST", bEndpoint, asAlice, "csrf=" + aliceCsrf).status == 404);
        BOOST_TEST(http(w.port, "POST", bEndpoint, asAlice, "csrf=wrong").status == 403);
        for (const auto& path : std::vector<std::string>{"/notifications", "/webhooks"})
            BOOST_TEST(http(w.port, "POST", path, asAlice, "payment=never&url=http://x.example/h&event_paid=1").status == 403, path);
        // The upload forms are multipart: without the session's token 403, and not multipart at all 400.
        const std::string noToken = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--b--\r\n";
        for (const auto& path : std::vector<std::string>{"/dossiers/new", "/upload"}) {
            BOOST_TEST(http(w.port, "POST", path, asAlice, noToken, "multipart/form-data; boundary=b").status == 403, path);
            BOOST_TEST(http(w.port, "POST", path, asAlice, "csrf=" + aliceCsrf).status == 400, path);
        }
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) {
            return store::creditor_portal::endpoints(tx, w.b.id, true).size();
        }) == 1u);

        // Staff: 403 on the creditor's own tools (they belong to one creditor), GET and POST.
        for (const auto& path : gets) BOOST_TEST(http(w.port, "GET", path, asSam).status == 403, "staff GET " << path);
        for (const auto& path : std::vector<std::string>{"/notifications", "/webhooks", bEndpoint})
            BOOST_TEST(http(w.port, "POST", path, asSam, "csrf=" + samCsrf + "&payment=never").status == 403, path);

        // Anonymous and a debtor's token: the login redirect, nothing done.
        const std::string tokenA = w.linkFor(w.a.id, w.dossierA);
        for (const Headers& who : std::vector<Headers>{{}, {{"Cookie", "dg_session=" + tokenA}}}) {
            for (const auto& path : gets) {
                const Reply r = http(w.port, "GET", path, who);
                BOOST_TEST(r.status == 303, "anonymous GET " << path);
                BOOST_TEST(r.header("Location") == "/login");
                noSecrets(r, "anonymous " + path);
            }
            for (const auto& path : std::vector<std::string>{"/notifications", "/webhooks", bEndpoint, "/dossiers/new", "/upload"})
                BOOST_TEST(http(w.port, "POST", path, who, "csrf=x").status == 303, path);
        }
        BOOST_TEST(w.ctx.db->transaction([&](store::Tx& tx) {
            return store::creditor_portal::endpoints(tx, w.b.id, true).size();
        }) == 1u);
    });
}

// The login-security routes (SecurityRoutes.cpp): anonymous, a debtor token, a login challenge and
// another user each get the login redirect, 403 or 404, and a user's security page shows only that
// user's sessions and events.
BOOST_AUTO_TEST_CASE(security_routes_as_every_principal) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const std::string sam = w.loginAs("sam@agency.example");
        w.loginAs("sam@agency.example", "a-wrong-password");  // an event of Sam's only
        const std::string alice = w.loginAs("alice@acme.example");
        const std::string tokenA = w.linkFor(w.a.id, w.dossierA);

        // Anonymous, and a debtor's link token offered as a session: the login page, nothing done.
        for (const Headers& who : std::vector<Headers>{{}, {{"Cookie", "dg_session=" + tokenA}}}) {
            for (const std::string& path : std::vector<std::string>{"/security", "/security/totp"}) {
                const Reply r = http(w.port, "GET", path, who);
                BOOST_TEST(r.status == 303, path);
                BOOST_TEST(r.header("Location") == "/login");
            }
            for (const std::string& path : std::vector<std::string>{"/security/logout-everywhere", "/security/totp"})
                BOOST_TEST(http(w.port, "POST", path, who, "csrf=x&code=123456").header("Location") == "/login", path);
        }
        BOOST_TEST(http(w.port, "GET", "/", {{"Cookie", "dg_session=" + sam}}).status == 200);

        // Pre-session forms without their CSRF pair: 403; a made-up reset token or challenge: 404 / login.
        BOOST_TEST(http(w.port, "POST", "/password/forgot", {}, "email=alice@acme.example").status == 403);
        BOOST_TEST(http(w.port, "POST", "/password/reset", {}, "token=x&password=aaaaaaaaaaaa&password2=aaaaaaaaaaaa")
                       .status == 403);
        BOOST_TEST(http(w.port, "POST", "/login/totp", {}, "code=123456").status == 403);
        BOOST_TEST(http(w.port, "GET", "/password/reset?token=" + std::string(64, 'a')).status == 404);
        BOOST_TEST(http(w.port, "GET", "/login/totp", {{"Cookie", "dg_login_step=" + std::string(64, 'a')}})
                       .header("Location") == "/login?done=expired");
        const Reply pre = http(w.port, "GET", "/password/forgot");
        const std::string csrf = pre.cookieValue("dg_pre_csrf");
        BOOST_TEST(http(w.port, "POST", "/password/reset", {{"Cookie", "dg_pre_csrf=" + csrf}},
                        "csrf=" + csrf + "&token=" + std::string(64, 'b') + "&password=aaaaaaaaaaaa&password2=aaaaaaaaaaaa")
                       .status == 404);

        // Alice's security page: her own sessions and events, none of Sam's.
        const Reply page = http(w.port, "GET", "/security", {{"Cookie", "dg_session=" + alice}});
        BOOST_TEST(page.status == 200);
        BOOST_TEST(page.body.find("on 1 device") != std::string::npos);
        BOOST_TEST(page.body.find("Failed login") == std::string::npos);
        // Alice's "log out everywhere" with Sam's CSRF token: 403; with hers it ends her sessions only.
        const std::string samCsrf = csrfOf(http(w.port, "GET", "/security", {{"Cookie", "dg_session=" + sam}}).body);
        BOOST_TEST(http(w.port, "POST", "/security/logout-everywhere", {{"Cookie", "dg_session=" + alice}}, "csrf=" + samCsrf)
                       .status == 403);
        BOOST_TEST(http(w.port, "POST", "/security/logout-everywhere", {{"Cookie", "dg_session=" + alice}},
                        "csrf=" + csrfOf(page.body))
                       .status == 303);
        BOOST_TEST(http(w.port, "GET", "/", {{"Cookie", "dg_session=" + alice}}).status == 303);
        BOOST_TEST(http(w.port, "GET", "/", {{"Cookie", "dg_session=" + sam}}).status == 200);
    });
}

BOOST_AUTO_TEST_SUITE_END()
