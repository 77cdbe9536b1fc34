#include "PortalFixture.h"

using namespace duegate;
using namespace duegate::testing;

namespace {

Headers session(const std::string& value) { return {{"Cookie", "dg_session=" + value}}; }

// The session's CSRF token, read from the logout form of any page.
std::string csrfOf(const Reply& page) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = page.body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return page.body.substr(start, page.body.find('"', start) - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_pages)

BOOST_AUTO_TEST_CASE(pages_without_a_session_redirect_to_login) {
    forEachBackend([](TestStore& s) {
        World w(s);
        for (const auto& path : {std::string("/"), "/dossiers/" + std::to_string(w.dossierA), std::string("/quarantine")}) {
            const Reply r = http(w.port, "GET", path, session(std::string(64, 'a')));
            BOOST_TEST(r.status == 303);
            BOOST_TEST(r.header("Location") == "/login");
        }
    });
}

BOOST_AUTO_TEST_CASE(the_login_form_sets_a_csrf_cookie_that_the_form_echoes) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const Reply r = http(w.port, "GET", "/login");
        BOOST_TEST(r.status == 200);
        const std::string cookie = r.setCookie("dg_login_csrf");
        BOOST_TEST(cookie.find("; HttpOnly") != std::string::npos);
        BOOST_TEST(cookie.find("; SameSite=Strict") != std::string::npos);
        BOOST_TEST(cookie.find("; Path=/login") != std::string::npos);
        BOOST_TEST(r.body.find("value=\"" + r.cookieValue("dg_login_csrf") + "\"") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_good_password_logs_in_with_a_httponly_samesite_session_cookie) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply form = http(w.port, "GET", "/login");
        const std::string csrf = form.cookieValue("dg_login_csrf");
        const Reply r = http(w.port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + csrf}},
                             "email=alice%40acme.example&password=" + World::kPassword + "&csrf=" + csrf);
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == "/");
        const std::string cookie = r.setCookie("dg_session");
        BOOST_TEST(cookie.find("; HttpOnly") != std::string::npos);
        BOOST_TEST(cookie.find("; SameSite=Lax") != std::string::npos);
        BOOST_TEST(cookie.find("; Path=/") != std::string::npos);
        BOOST_TEST(cookie.find("Secure") == std::string::npos);  // plain http in this test
        const Reply home = http(w.port, "GET", "/", session(r.cookieValue("dg_session")));
        BOOST_TEST(home.status == 200);
        BOOST_TEST(home.body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(home.body.find("Alice Acme") != std::string::npos);
        BOOST_TEST(home.body.find("DG-B-1") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(the_session_cookie_is_secure_when_the_portal_runs_on_https) {
    forEachBackend([](TestStore& s) {
        portal::PortalOptions opts;
        opts.secureCookies = true;
        World w(s, opts);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply form = http(w.port, "GET", "/login");
        BOOST_TEST(form.setCookie("dg_login_csrf").find("; Secure") != std::string::npos);
        const std::string csrf = form.cookieValue("dg_login_csrf");
        const Reply r = http(w.port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + csrf}},
                             "email=alice%40acme.example&password=" + World::kPassword + "&csrf=" + csrf);
        BOOST_TEST(r.setCookie("dg_session").find("; Secure") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_bad_password_or_unknown_user_is_refused_without_a_session) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply form = http(w.port, "GET", "/login");
        const std::string csrf = form.cookieValue("dg_login_csrf");
        const Reply wrong = http(w.port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + csrf}},
                                 "email=alice%40acme.example&password=nope-nope-nope&csrf=" + csrf);
        const Reply unknown = http(w.port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + csrf}},
                                   "email=nobody%40acme.example&password=nope-nope-nope&csrf=" + csrf);
        for (const Reply& r : {wrong, unknown}) {
            BOOST_TEST(r.status == 401);
            BOOST_TEST(r.setCookie("dg_session").empty());
            BOOST_TEST(r.body.find("E-mail or password is wrong.") != std::string::npos);
        }
    });
}

BOOST_AUTO_TEST_CASE(a_form_post_without_the_csrf_token_is_403) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string body = "email=alice%40acme.example&password=" + World::kPassword;
        // No token at all; a token without the cookie; a cookie with a different token.
        BOOST_TEST(http(w.port, "POST", "/login", {}, body).status == 403);
        BOOST_TEST(http(w.port, "POST", "/login", {}, body + "&csrf=" + std::string(32, 'a')).status == 403);
        BOOST_TEST(http(w.port, "POST", "/login", {{"Cookie", "dg_login_csrf=" + std::string(32, 'b')}},
                        body + "&csrf=" + std::string(32, 'a'))
                       .status == 403);
        // Logout with a valid session but no token does not log out.
        const std::string sessionValue = w.loginAs("alice@acme.example");
        BOOST_REQUIRE(!sessionValue.empty());
        BOOST_TEST(http(w.port, "POST", "/logout", session(sessionValue), std::string("")).status == 403);
        BOOST_TEST(http(w.port, "GET", "/", session(sessionValue)).status == 200);
    });
}

BOOST_AUTO_TEST_CASE(logout_with_the_token_ends_the_session) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string sessionValue = w.loginAs("alice@acme.example");
        const Reply home = http(w.port, "GET", "/", session(sessionValue));
        const Reply out = http(w.port, "POST", "/logout", session(sessionValue), "csrf=" + csrfOf(home));
        BOOST_TEST(out.status == 303);
        BOOST_TEST(out.header("Location") == "/login");
        BOOST_TEST(out.setCookie("dg_session").find("Max-Age=0") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/", session(sessionValue)).status == 303);
    });
}

BOOST_AUTO_TEST_CASE(the_dossier_page_shows_invoices_timeline_and_messages_of_ones_own_dossier) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string sessionValue = w.loginAs("alice@acme.example");
        const Reply r = http(w.port, "GET", "/dossiers/" + std::to_string(w.dossierA), session(sessionValue));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body.find("INV-A-1") != std::string::npos);
        BOOST_TEST(r.body.find("EUR 1234.50") != std::string::npos);
        const auto first = r.body.find("invoice_received");
        const auto second = r.body.find("dossier_created");
        BOOST_TEST(first != std::string::npos);
        BOOST_TEST(second != std::string::npos);
        BOOST_TEST(first < second);  // oldest first
        BOOST_TEST(r.body.find("Messages") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(another_creditors_dossier_page_is_the_plain_404) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string sessionValue = w.loginAs("alice@acme.example");
        const Reply foreign = http(w.port, "GET", "/dossiers/" + std::to_string(w.dossierB), session(sessionValue));
        const Reply missing = http(w.port, "GET", "/dossiers/999999", session(sessionValue));
        BOOST_TEST(foreign.status == 404);
        BOOST_TEST(foreign.body == missing.body);
        BOOST_TEST(foreign.body.find("INV-B-SECRET") == std::string::npos);
        BOOST_TEST(foreign.body.find("Zed Hidden") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(staff_see_every_creditors_dossiers) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(std::nullopt, "staff@agency.example", "Sam Staff");
        const std::string sessionValue = w.loginAs("staff@agency.example");
        const Reply r = http(w.port, "GET", "/", session(sessionValue));
        BOOST_TEST(r.body.find("DG-A-1") != std::string::npos);
        BOOST_TEST(r.body.find("DG-B-1") != std::string::npos);
        BOOST_TEST(r.body.find("Bravo Secret Industries") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/dossiers/" + std::to_string(w.dossierB), session(sessionValue)).status == 200);
    });
}

BOOST_AUTO_TEST_CASE(the_quarantine_page_lists_items_in_scope_with_their_error) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.db->transaction([&](store::Tx& tx) {
            for (auto [creditor, error] : {std::pair{w.a.id, std::string("UBL: <cbc:ID> missing at line 3")},
                                           std::pair{w.b.id, std::string("B's private failure")}}) {
                store::InboundItemRecord item;
                item.creditorId = creditor;
                item.kind = "mail";
                item.sha256 = store::BlobStore::sha256Hex(error);
                item.size = 10;
                item.mailFrom = "scanner@" + std::to_string(creditor) + ".example";
                const auto ins = store::inbound::insertReceived(tx, item, w.ctx.now());
                store::inbound::transition(tx, ins.id, "received", "quarantined", error, w.ctx.now());
            }
        });
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const Reply r = http(w.port, "GET", "/quarantine", session(w.loginAs("alice@acme.example")));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.body.find("UBL: &lt;cbc:ID&gt; missing at line 3") != std::string::npos);
        BOOST_TEST(r.body.find("private failure") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_script_in_a_debtor_name_is_escaped_on_every_page) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string evil = "<script>alert(\"x\")</script> & 'Co'";
        const auto id = w.addDossier(w.a.id, evil, "DG-<b>EVIL</b>", "INV-<i>1</i>", 1000);
        w.addUser(w.a.id, "alice@acme.example", "Alice <img src=x>");
        const std::string sessionValue = w.loginAs("alice@acme.example");
        const Reply list = http(w.port, "GET", "/", session(sessionValue));
        const Reply detail = http(w.port, "GET", "/dossiers/" + std::to_string(id), session(sessionValue));
        const Reply debtor = http(w.port, "GET", "/d/" + w.linkFor(w.a.id, id));
        for (const Reply* r : {&list, &detail, &debtor}) {
            BOOST_TEST(r->status == 200);
            BOOST_TEST(r->body.find("<script>") == std::string::npos);
            BOOST_TEST(r->body.find("<b>EVIL") == std::string::npos);
            BOOST_TEST(r->body.find("<img src=x>") == std::string::npos);
            BOOST_TEST(r->body.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;") !=
                       std::string::npos);
        }
        BOOST_TEST(list.body.find("Alice &lt;img src=x&gt;") != std::string::npos);
    });
}

BOOST_AUTO_TEST_SUITE_END()
