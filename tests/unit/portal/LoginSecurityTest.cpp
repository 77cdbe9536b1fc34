// Issue 14 item 5: login throttling before Argon2 (hashes counted), session rotation, idle and
// absolute timeouts on a test clock, log out everywhere, password reset by mail (one use,
// expiring, the same answer for unknown addresses, rate-limited, sessions revoked), TOTP for staff,
// and the pages in the reader's language. On SQLite and, with DUEGATE_TEST_PG_URL, PostgreSQL.
#include "PortalFixture.h"

#include "gateway/core/Totp.h"
#include "gateway/services/AuthService.h"
#include "store/SecurityRepository.h"

#include <latch>
#include <mutex>
#include <thread>

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

std::string between(const std::string& s, const std::string& a, const std::string& b) {
    const auto p = s.find(a);
    if (p == std::string::npos) return {};
    const auto start = p + a.size();
    return s.substr(start, s.find(b, start) - start);
}

Headers session(const std::string& cookie) { return {{"Cookie", "dg_session=" + cookie}}; }

bool loggedIn(World& w, const std::string& cookie) { return http(w.port, "GET", "/", session(cookie)).status == 200; }

// POST /login with a fresh login CSRF pair; the reply as it is.
Reply postLogin(World& w, const std::string& email, const std::string& password, const Headers& extra = {}) {
    const std::string csrf = http(w.port, "GET", "/login").cookieValue("dg_login_csrf");
    Headers h{{"Cookie", "dg_login_csrf=" + csrf}};
    for (const auto& e : extra) {
        if (e.first == "Cookie") h[0].second += "; " + e.second;
        else h.push_back(e);
    }
    return http(w.port, "POST", "/login", h, "email=" + email + "&password=" + password + "&csrf=" + csrf);
}

// GET a pre-session form and POST it with its dg_pre_csrf pair.
Reply postPreForm(World& w, const std::string& formPath, const std::string& action, const std::string& body,
                  const std::string& extraCookie = "") {
    const Reply form = http(w.port, "GET", formPath, extraCookie.empty() ? Headers{} : Headers{{"Cookie", extraCookie}});
    const std::string csrf = form.cookieValue("dg_pre_csrf");
    std::string cookie = "dg_pre_csrf=" + csrf + (extraCookie.empty() ? "" : "; " + extraCookie);
    return http(w.port, "POST", action, {{"Cookie", cookie}}, body + "&csrf=" + csrf);
}

std::vector<store::security::AccountMailRow> mails(World& w) {
    return w.ctx.db->read([&](store::Tx& tx) { return store::security::dueAccountMails(tx, "9999", 100); });
}

std::string tokenOfMail(const std::string& body) { return between(body, "token=", "\n"); }

std::string currentCode(World& w, const std::string& base32Secret, int stepOffset = 0) {
    const auto key = core::totp::base32Decode(base32Secret);
    return core::totp::hotp(*key, core::totp::stepAt(w.clock->now().epochTime()) + static_cast<std::uint64_t>(stepOffset));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_login_security)

BOOST_AUTO_TEST_CASE(a_throttled_login_runs_no_hash_and_answers_429_in_the_readers_language) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.maxFailuresPerAccount = 3;
        w.ctx.settings.auth.maxFailuresPerAddress = 50;
        w.ctx.settings.auth.throttleWindowSeconds = 900;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");

        const auto before = services::passwordHashesRun();
        for (int i = 0; i < 3; ++i) BOOST_TEST(postLogin(w, "alice@acme.example", "wrong-password-x").status == 401);
        BOOST_TEST(services::passwordHashesRun() - before == 3u);

        // Now throttled: even the right password is refused, and no hash runs for it.
        const auto atLimit = services::passwordHashesRun();
        const Reply r = postLogin(w, "alice@acme.example", World::kPassword, {{"Accept-Language", "nl-BE,nl;q=0.9"}});
        BOOST_TEST(r.status == 429);
        BOOST_TEST(r.body.find("Te veel pogingen") != std::string::npos);
        const int retry = std::stoi(r.header("Retry-After"));
        BOOST_TEST(retry > 800);
        BOOST_TEST(retry <= 901);
        BOOST_TEST(r.cookieValue("dg_session").empty());
        for (int i = 0; i < 5; ++i) BOOST_TEST(postLogin(w, "alice@acme.example", "wrong-password-x").status == 429);
        BOOST_TEST(services::passwordHashesRun() == atLimit);

        // Another account from the same address is not throttled by Alice's failures.
        w.addUser(w.a.id, "anna@acme.example", "Anna Acme");
        BOOST_TEST(!w.loginAs("anna@acme.example").empty());

        // After the window the account may try again.
        w.clock->advanceSeconds(901);
        BOOST_TEST(!w.loginAs("alice@acme.example").empty());
    });
}

BOOST_AUTO_TEST_CASE(the_client_address_is_throttled_across_accounts_and_unknown_emails) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.maxFailuresPerAccount = 100;
        w.ctx.settings.auth.maxFailuresPerAddress = 4;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        for (int i = 0; i < 4; ++i)
            BOOST_TEST(postLogin(w, "nobody" + std::to_string(i) + "@x.example", "whatever-password").status == 401);
        const auto hashes = services::passwordHashesRun();
        BOOST_TEST(postLogin(w, "alice@acme.example", World::kPassword).status == 429);
        BOOST_TEST(services::passwordHashesRun() == hashes);
        // The failures are in the user's audit trail only when the user exists.
        const auto events = w.ctx.db->read([&](store::Tx& tx) {
            return tx.queryOne("SELECT COUNT(*) FROM security_events WHERE kind = 'login_failed' AND user_id IS NULL")->integer(0);
        });
        BOOST_TEST(events == 4);
    });
}

BOOST_AUTO_TEST_CASE(the_hashing_gate_turns_logins_away_instead_of_queueing_them) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.maxConcurrentHashes = 1;
        w.ctx.settings.auth.maxFailuresPerAddress = 1000;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const auto before = services::passwordHashesRun();
        constexpr int kThreads = 8;
        std::latch go(kThreads);
        std::mutex m;
        std::vector<services::LoginOutcome> outcomes;
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                go.arrive_and_wait();
                const auto r = services::login(w.ctx, {"user" + std::to_string(i) + "@x.example", "wrong-password-x",
                                                       "10.0.0." + std::to_string(i) + ":5000", ""});
                std::lock_guard<std::mutex> lock(m);
                outcomes.push_back(r.outcome);
                if (r.outcome == services::LoginOutcome::Busy) BOOST_TEST(r.retryAfterSeconds >= 1);
            });
        for (auto& t : threads) t.join();
        const auto wrong = std::count(outcomes.begin(), outcomes.end(), services::LoginOutcome::Wrong);
        const auto busy = std::count(outcomes.begin(), outcomes.end(), services::LoginOutcome::Busy);
        BOOST_TEST(wrong + busy == kThreads);
        BOOST_TEST(wrong >= 1);
        BOOST_TEST(busy >= 1);  // eight at once through a gate of one: most are turned away at once
        BOOST_TEST(services::passwordHashesRun() - before == static_cast<std::uint64_t>(wrong));
    });
}

BOOST_AUTO_TEST_CASE(login_rotates_the_session_and_the_old_id_is_dead) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string first = w.loginAs("alice@acme.example");
        BOOST_TEST(loggedIn(w, first));
        const Reply again = postLogin(w, "alice@acme.example", World::kPassword, {{"Cookie", "dg_session=" + first}});
        BOOST_TEST(again.status == 303);
        const std::string second = again.cookieValue("dg_session");
        BOOST_TEST(second.size() == 64u);
        BOOST_TEST(second != first);
        BOOST_TEST(!loggedIn(w, first));
        BOOST_TEST(loggedIn(w, second));
    });
}

BOOST_AUTO_TEST_CASE(sessions_end_after_the_idle_and_the_absolute_timeout) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.sessionIdleSeconds = 1800;
        w.ctx.settings.auth.sessionAbsoluteSeconds = 4 * 3600;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");

        // Idle: 29 minutes of silence is fine (and restarts the idle clock); 31 is not.
        const std::string idle = w.loginAs("alice@acme.example");
        w.clock->advanceSeconds(29 * 60);
        BOOST_TEST(loggedIn(w, idle));
        w.clock->advanceSeconds(29 * 60);
        BOOST_TEST(loggedIn(w, idle));
        w.clock->advanceSeconds(31 * 60);
        BOOST_TEST(!loggedIn(w, idle));

        // Absolute: used every 20 minutes, the session still ends 4 hours after login.
        const std::string busy = w.loginAs("alice@acme.example");
        for (int i = 0; i < 11; ++i) {
            w.clock->advanceSeconds(20 * 60);
            BOOST_TEST(loggedIn(w, busy), "after " << (i + 1) * 20 << " minutes");
        }
        w.clock->advanceSeconds(20 * 60);  // 240 minutes
        BOOST_TEST(!loggedIn(w, busy));
    });
}

BOOST_AUTO_TEST_CASE(log_out_everywhere_ends_every_session_of_the_user_only) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.addUser(w.a.id, "anna@acme.example", "Anna Acme");
        const std::string phone = w.loginAs("alice@acme.example");
        const std::string laptop = w.loginAs("alice@acme.example");
        const std::string anna = w.loginAs("anna@acme.example");
        const Reply page = http(w.port, "GET", "/security", session(laptop));
        BOOST_TEST(page.status == 200);
        BOOST_TEST(page.body.find("on 2 device") != std::string::npos);
        // Without the CSRF token nothing happens.
        BOOST_TEST(http(w.port, "POST", "/security/logout-everywhere", session(laptop), "csrf=nope").status == 403);
        BOOST_TEST(loggedIn(w, phone));
        const Reply r = http(w.port, "POST", "/security/logout-everywhere", session(laptop), "csrf=" + csrfOf(page.body));
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("Location") == "/login");
        BOOST_TEST(!loggedIn(w, phone));
        BOOST_TEST(!loggedIn(w, laptop));
        BOOST_TEST(loggedIn(w, anna));
        // The event names the user.
        const std::string again = w.loginAs("alice@acme.example");
        const Reply after = http(w.port, "GET", "/security", session(again));
        BOOST_TEST(after.body.find("Logged out everywhere") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(password_reset_is_one_use_expiring_the_same_for_unknown_addresses_and_revokes_sessions) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.resetTokenSeconds = 3600;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string oldSession = w.loginAs("alice@acme.example");

        const Reply unknown = postPreForm(w, "/password/forgot", "/password/forgot", "email=nobody@acme.example");
        const Reply known = postPreForm(w, "/password/forgot", "/password/forgot", "email=alice@acme.example",
                                        "");
        BOOST_TEST(unknown.status == 303);
        BOOST_TEST(known.status == 303);
        BOOST_TEST(unknown.header("Location") == known.header("Location"));
        BOOST_TEST(unknown.body == known.body);
        const auto queued = mails(w);
        BOOST_REQUIRE(queued.size() == 1u);
        BOOST_TEST(queued[0].recipient == "alice@acme.example");
        const std::string token = tokenOfMail(queued[0].body);
        BOOST_REQUIRE(token.size() == 64u);
        // Only the hash is stored.
        BOOST_TEST(w.ctx.db->read([&](store::Tx& tx) {
            return tx.query("SELECT 1 FROM password_resets WHERE token_hash = $1", {token}).size();
        }) == 0u);

        BOOST_TEST(http(w.port, "GET", "/password/reset?token=" + token).status == 200);
        const Reply mismatch = postPreForm(w, "/password/reset?token=" + token, "/password/reset",
                                           "token=" + token + "&password=brand-new-secret-1&password2=other-secret-22");
        BOOST_TEST(mismatch.status == 422);
        const Reply done = postPreForm(w, "/password/reset?token=" + token, "/password/reset",
                                       "token=" + token + "&password=brand-new-secret-1&password2=brand-new-secret-1");
        BOOST_TEST(done.status == 303);
        BOOST_TEST(done.header("Location") == "/login?done=reset");
        BOOST_TEST(!loggedIn(w, oldSession));
        BOOST_TEST(w.loginAs("alice@acme.example").empty());
        BOOST_TEST(!w.loginAs("alice@acme.example", "brand-new-secret-1").empty());

        // One use.
        BOOST_TEST(http(w.port, "GET", "/password/reset?token=" + token).status == 404);
        const Reply twice = postPreForm(w, "/password/forgot", "/password/reset",
                                        "token=" + token + "&password=third-secret-333&password2=third-secret-333");
        BOOST_TEST(twice.status == 404);
        BOOST_TEST(!w.loginAs("alice@acme.example", "brand-new-secret-1").empty());

        // Expiring: a fresh token is dead after its hour.
        postPreForm(w, "/password/forgot", "/password/forgot", "email=alice@acme.example");
        const auto all = mails(w);
        BOOST_REQUIRE(all.size() == 2u);
        const std::string second = tokenOfMail(all[1].body);
        w.clock->advanceSeconds(3601);
        BOOST_TEST(http(w.port, "GET", "/password/reset?token=" + second).status == 404);
        BOOST_TEST((services::resetPassword(w.ctx, second, "fourth-secret-4444", "127.0.0.1") ==
                    services::ResetOutcome::BadToken));
    });
}

BOOST_AUTO_TEST_CASE(password_reset_requests_are_rate_limited_per_address_and_per_account) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.resetsPerAccountHour = 2;
        w.ctx.settings.auth.resetsPerAddressHour = 5;
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        for (int i = 0; i < 5; ++i)
            BOOST_TEST(postPreForm(w, "/password/forgot", "/password/forgot", "email=alice@acme.example").status == 303);
        BOOST_TEST(mails(w).size() == 2u);  // the account's bound; the answers stayed the same
        const Reply sixth = postPreForm(w, "/password/forgot", "/password/forgot", "email=alice@acme.example",
                                        "dg_lang=fr");
        BOOST_TEST(sixth.status == 429);
        BOOST_TEST(!sixth.header("Retry-After").empty());
        BOOST_TEST(sixth.body.find("Trop de tentatives") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(totp_login_asks_a_code_and_never_takes_the_same_code_twice) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string cookie = w.loginAs("alice@acme.example");
        const Reply setup = http(w.port, "GET", "/security/totp", session(cookie));
        BOOST_TEST(setup.status == 200);
        BOOST_TEST(setup.body.find("otpauth://totp/") != std::string::npos);
        BOOST_TEST(setup.body.find("<svg") != std::string::npos);
        const std::string secret = between(setup.body, "<code>", "</code>");
        BOOST_REQUIRE(secret.size() == 32u);
        BOOST_TEST(http(w.port, "POST", "/security/totp", session(cookie), "csrf=" + csrfOf(setup.body) + "&code=000000")
                       .status == 422);
        const Reply on = http(w.port, "POST", "/security/totp", session(cookie),
                              "csrf=" + csrfOf(setup.body) + "&code=" + currentCode(w, secret));
        BOOST_TEST(on.status == 303);

        // The next login stops after the password and asks a code (no session yet).
        w.clock->advanceSeconds(30);
        const Reply pw = postLogin(w, "alice@acme.example", World::kPassword);
        BOOST_TEST(pw.status == 303);
        BOOST_TEST(pw.header("Location") == "/login/totp");
        BOOST_TEST(pw.cookieValue("dg_session").empty());
        const std::string step = "dg_login_step=" + pw.cookieValue("dg_login_step");
        BOOST_TEST(postPreForm(w, "/login/totp", "/login/totp", "code=123456", step).status == 401);
        const std::string code = currentCode(w, secret);
        const Reply ok = postPreForm(w, "/login/totp", "/login/totp", "code=" + code, step);
        BOOST_TEST(ok.status == 303);
        BOOST_TEST(loggedIn(w, ok.cookieValue("dg_session")));

        // The same code again, in a new login inside its window: refused.
        const Reply pw2 = postLogin(w, "alice@acme.example", World::kPassword);
        const std::string step2 = "dg_login_step=" + pw2.cookieValue("dg_login_step");
        BOOST_TEST(postPreForm(w, "/login/totp", "/login/totp", "code=" + code, step2).status == 401);
        BOOST_TEST(postPreForm(w, "/login/totp", "/login/totp", "code=" + currentCode(w, secret, 1), step2).status == 303);
        // A challenge cookie is no session.
        BOOST_TEST(http(w.port, "GET", "/", {{"Cookie", "dg_session=" + pw2.cookieValue("dg_login_step")}}).status == 303);

        // A lost phone: a staff admin removes the second factor from the admin page. Alice's
        // sessions end and her next login takes the password alone; nobody resets their own.
        const std::string aliceSession = ok.cookieValue("dg_session");
        BOOST_TEST(loggedIn(w, aliceSession));
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        const std::string sam = w.loginAs("sam@agency.example");
        const Reply admin = http(w.port, "GET", "/admin", session(sam));
        const auto form = admin.body.find("/totp-reset\"");
        BOOST_TEST_REQUIRE(form != std::string::npos);
        const auto idStart = admin.body.rfind("/admin/users/", form) + std::string("/admin/users/").size();
        const std::string aliceId = admin.body.substr(idStart, form - idStart);
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + aliceId + "/totp-reset", session(sam), "csrf=" + csrfOf(admin.body))
                       .header("Location") == "/admin?ok=totp_reset");
        BOOST_TEST(!loggedIn(w, aliceSession));
        BOOST_TEST(http(w.port, "GET", "/admin", session(sam)).body.find("/totp-reset\"") == std::string::npos);
        BOOST_TEST(http(w.port, "POST", "/admin/users/" + aliceId + "/totp-reset", session(sam), "csrf=" + csrfOf(admin.body))
                       .header("Location") == "/admin?error=input");  // none left
        w.clock->advanceSeconds(30);
        const Reply plain = postLogin(w, "alice@acme.example", World::kPassword);
        BOOST_TEST(plain.header("Location") != "/login/totp");
        BOOST_TEST(loggedIn(w, plain.cookieValue("dg_session")));
    });
}

BOOST_AUTO_TEST_CASE(staff_must_enrol_totp_at_login_when_it_is_required) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.ctx.settings.auth.staffTotp = "required";
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        BOOST_TEST(!w.loginAs("alice@acme.example").empty());  // creditor users are not forced
        const Reply pw = postLogin(w, "sam@agency.example", World::kPassword);
        BOOST_TEST(pw.header("Location") == "/login/totp");
        BOOST_TEST(pw.cookieValue("dg_session").empty());
        const std::string step = "dg_login_step=" + pw.cookieValue("dg_login_step");
        const Reply page = http(w.port, "GET", "/login/totp", {{"Cookie", step}, {"Accept-Language", "fr"}});
        BOOST_TEST(page.status == 200);
        BOOST_TEST(page.body.find("otpauth://totp/") != std::string::npos);
        BOOST_TEST(page.body.find("<svg") != std::string::npos);
        BOOST_TEST(page.body.find("Vérification en deux étapes") != std::string::npos);
        const std::string secret = between(page.body, "<code>", "</code>");
        const Reply ok = postPreForm(w, "/login/totp", "/login/totp", "code=" + currentCode(w, secret), step);
        BOOST_TEST(ok.status == 303);
        const std::string cookie = ok.cookieValue("dg_session");
        BOOST_TEST(http(w.port, "GET", "/tasks", session(cookie)).status == 200);
        // From now on Sam's logins ask the code of the enrolled secret.
        w.clock->advanceSeconds(60);
        const Reply again = postLogin(w, "sam@agency.example", World::kPassword);
        const std::string step2 = "dg_login_step=" + again.cookieValue("dg_login_step");
        const Reply codePage = http(w.port, "GET", "/login/totp", {{"Cookie", step2}});
        BOOST_TEST(codePage.body.find("otpauth://") == std::string::npos);
        BOOST_TEST(postPreForm(w, "/login/totp", "/login/totp", "code=" + currentCode(w, secret), step2).status == 303);
        // An expired step sends the user back to the login.
        const Reply third = postLogin(w, "sam@agency.example", World::kPassword);
        w.clock->advanceSeconds(301);
        BOOST_TEST(http(w.port, "GET", "/login/totp", {{"Cookie", "dg_login_step=" + third.cookieValue("dg_login_step")}})
                       .header("Location") == "/login?done=expired");
    });
}

BOOST_AUTO_TEST_CASE(the_404_page_speaks_the_readers_language) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const Reply fr = http(w.port, "GET", "/no/such/page", {{"Accept-Language", "fr-BE,fr;q=0.9"}});
        BOOST_TEST(fr.status == 404);
        BOOST_TEST(fr.body.find("lang=\"fr\"") != std::string::npos);
        const Reply nl = http(w.port, "GET", "/d/not-a-token", {{"Accept-Language", "nl"}});
        BOOST_TEST(nl.status == 404);
        BOOST_TEST(nl.body.find("lang=\"nl\"") != std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/no/such/page").body.find("Not found") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(timeline_event_kinds_speak_the_readers_language) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        const std::string cookie = w.loginAs("alice@acme.example");
        const std::string path = "/dossiers/" + std::to_string(w.dossierA);
        const Reply nl = http(w.port, "GET", path + "?lang=nl", session(cookie));
        BOOST_TEST(nl.body.find("Factuur ontvangen") != std::string::npos);
        BOOST_TEST(nl.body.find("Dossier aangemaakt") != std::string::npos);
        const Reply fr = http(w.port, "GET", path + "?lang=fr", session(cookie));
        BOOST_TEST(fr.body.find("Facture reçue") != std::string::npos);
        const Reply en = http(w.port, "GET", path + "?lang=en", session(cookie));
        BOOST_TEST(en.body.find("Invoice received") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(housekeeping_prunes_expired_rows_and_old_link_counters) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        w.loginAs("alice@acme.example");
        postLogin(w, "alice@acme.example", "wrong-password-x");
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        const Reply page = http(w.port, "GET", "/d/" + token);
        http(w.port, "POST", "/d/" + token + "/accept", {}, "csrf=" + csrfOf(page.body));
        auto count = [&](const char* table) {
            return w.ctx.db->read([&](store::Tx& tx) {
                return tx.queryOne(std::string("SELECT COUNT(*) FROM ") + table)->integer(0);
            });
        };
        BOOST_TEST(count("link_post_counts") == 1);
        BOOST_TEST(count("login_failures") == 2);
        services::pruneSecurityTables(w.ctx);
        BOOST_TEST(count("link_post_counts") == 1);  // still young
        w.clock->advanceSeconds(3 * 86400);
        services::pruneSecurityTables(w.ctx);
        BOOST_TEST(count("link_post_counts") == 0);
        BOOST_TEST(count("login_failures") == 0);
        BOOST_TEST(count("portal_sessions") == 0);
    });
}

BOOST_AUTO_TEST_SUITE_END()
