// Issue 14, item 5: every route as every kind of principal. Creditor A on B's ids, a debtor token
// on another dossier, a creditor user on the case managers' pages, and anonymous requests each get
// only their own data or 404/403 (or the login redirect / 401): never B's data.
#include "PortalFixture.h"

#include "gateway/services/DebtorActions.h"
#include "gateway/services/WebhookService.h"
#include "store/CreditorPortalRepository.h"
#include "store/TaskRepository.h"

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
        };
        for (const auto& [c, status] : onB) {
            const Reply r = http(w.port, c.method, c.path, asAlice, c.body.empty() ? std::nullopt : std::optional(c.body));
            BOOST_TEST(r.status == status, "creditor A " << c.method << " " << c.path << " -> " << r.status);
            noSecrets(r, "creditor A " + c.path);
        }
        // A's own lists, dashboard and search never show B.
        for (const std::string& path : std::vector<std::string>{"/", "/dashboard", "/quarantine", "/?q=Zed", "/?q=INV-B", "/api/v1/dossiers"}) {
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
                                       "/dossiers/" + b + "/legal-file", "/dossiers/" + b + "/documents/1"}) {
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
        const std::string samCsrf = csrfOf(http(w.port, "GET", "/tasks", asSam).body);
        BOOST_TEST(http(w.port, "POST", "/tasks/" + std::to_string(taskB) + "/close", asSam, "csrf=" + samCsrf).status ==
                   303);
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

BOOST_AUTO_TEST_SUITE_END()
