// Issue 14, item 5: every route as every kind of principal. Creditor A on B's ids, a debtor token
// on another dossier, a creditor user on the case managers' pages, and anonymous requests each get
// only their own data or 404/403 (or the login redirect / 401): never B's data.
#include "PortalFixture.h"

#include "gateway/services/DebtorActions.h"
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
