// The finance team's queue in the portal (issue 9, item 5) on SQLite and PostgreSQL: the statement
// upload, the queue with its filters and paging, and every action through the routes (confirm a
// suggestion, match by hand and split, the refusals, mark, undo with a required reason), each an
// event naming the user.
#include "CamtFixture.h"
#include "PortalFixture.h"

#include "gateway/services/DossierQueries.h"
#include "gateway/services/payments/PaymentService.h"

#include <boost/test/unit_test.hpp>

#include <sstream>

using namespace duegate;
using namespace duegate::testing;
namespace pay = services::payments;

namespace {

std::string csrfOf(const std::string& body) {
    const std::string marker = "name=\"csrf\" value=\"";
    const auto p = body.find(marker);
    if (p == std::string::npos) return {};
    const auto start = p + marker.size();
    return body.substr(start, body.find('"', start) - start);
}

const std::string kBoundary = "----duegateFinanceTest7MA4YWxk";

std::string multipart(const std::string& csrf, const std::string& filename, const std::string& bytes) {
    return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n--" + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
           "\"\r\nContent-Type: application/xml\r\n\r\n" + bytes + "\r\n--" + kBoundary + "--\r\n";
}

struct Finance {
    World& w;
    Headers as;
    std::string csrf;

    Finance(World& world, const std::string& session) : w(world), as{{"Cookie", "dg_session=" + session}} {
        csrf = csrfOf(http(w.port, "GET", "/payments", as).body);
    }
    Reply upload(const std::string& name, const std::string& bytes) {
        return http(w.port, "POST", "/payments/upload", as, multipart(csrf, name, bytes),
                    "multipart/form-data; boundary=" + kBoundary);
    }
    Reply post(std::int64_t line, const std::string& action, const std::string& form) {
        return http(w.port, "POST", "/payments/" + std::to_string(line) + "/" + action, as,
                    "csrf=" + csrf + (form.empty() ? "" : "&" + form));
    }
    std::string location(const Reply& r) const { return r.header("Location"); }
};

std::int64_t lineWithAmount(World& w, std::int64_t cents) {
    for (const auto& it : pay::listPayments(w.ctx, services::Principal{}, std::vector<std::string>{}, 500, 0))
        if (it.line.amountMinor == cents) return it.line.id;
    return 0;
}

store::DossierRecord dossier(World& w, std::int64_t id) {
    return services::dossierDetail(w.ctx, services::Principal{}, id)->summary.dossier;
}

bool eventNames(World& w, std::int64_t dossierId, const std::string& kind, const std::string& who) {
    std::string seen;
    const auto detail = services::dossierDetail(w.ctx, services::Principal{}, dossierId);  // outlives the loop
    for (const auto& e : detail->events) {
        if (e.kind == kind && e.summary.find(who) != std::string::npos) return true;
        seen += e.kind + ": " + e.summary + "\n";
    }
    BOOST_TEST_MESSAGE("events of dossier " << dossierId << ":\n" << seen);
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_finance_queue)

BOOST_AUTO_TEST_CASE(upload_then_confirm_match_split_refuse_mark_and_undo_through_the_portal) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto a2 = w.addDossier(w.a.id, "Erik Example", "DG-A-2", "INV-A-2", 20000);
        const auto a3 = w.addDossier(w.a.id, "Fiona Fixture", "DG-A-3", "INV-A-3", 30000);
        w.addUser(w.a.id, "alice@acme.example", "Alice Acme");
        Finance f(w, w.loginAs("alice@acme.example"));
        BOOST_REQUIRE(!f.csrf.empty());

        // The upload page, then a statement: one suggested, two unmatched lines.
        const Reply form = http(w.port, "GET", "/payments/upload", f.as);
        BOOST_TEST(form.status == 200);
        BOOST_TEST(form.body.find("enctype=\"multipart/form-data\"") != std::string::npos);
        const std::string file = camt(kIbanA, "STMT-1",
                                      {{20000, "Erik Example", "BE71096123456769", "", "thanks"},
                                       {40000, "Someone Else", "BE43068999999501", "", "various invoices"},
                                       {1234, "Random Corp", "BE43068999999502", "", "no idea"}});
        const Reply up = f.upload("june.xml", file);
        BOOST_TEST(up.status == 200);
        BOOST_TEST(up.body.find("id=\"up-added\">3<") != std::string::npos, up.body);
        BOOST_TEST(up.body.find("id=\"up-duplicates\">0<") != std::string::npos);
        BOOST_TEST(up.body.find("id=\"up-suggested\">1<") != std::string::npos);
        BOOST_TEST(up.body.find("june.xml") != std::string::npos);
        // The same file again adds nothing.
        const Reply again = f.upload("june.xml", file);
        BOOST_TEST(again.body.find("id=\"up-added\">0<") != std::string::npos);
        BOOST_TEST(again.body.find("id=\"up-duplicates\">3<") != std::string::npos);
        // A broken file imports nothing and says where.
        const Reply broken = f.upload("broken.xml", file.substr(0, file.size() / 2));
        BOOST_TEST(broken.status == 422);
        BOOST_TEST(broken.body.find("id=\"result\"") != std::string::npos);
        // Not a statement at all.
        BOOST_TEST(f.upload("x.txt", "hello").status == 422);
        // No CSRF token: refused.
        BOOST_TEST(http(w.port, "POST", "/payments/upload", f.as, multipart("wrong", "x.xml", file),
                        "multipart/form-data; boundary=" + kBoundary)
                       .status == 403);

        const auto l1 = lineWithAmount(w, 20000), l2 = lineWithAmount(w, 40000), l3 = lineWithAmount(w, 1234);
        BOOST_REQUIRE(l1 > 0);
        BOOST_REQUIRE(l2 > 0);
        BOOST_REQUIRE(l3 > 0);

        // The queue: the suggestion with its dossier, score and reason; the unmatched lines.
        const Reply queue = http(w.port, "GET", "/payments", f.as);
        BOOST_TEST(queue.status == 200);
        BOOST_TEST(queue.body.find("id=\"line-" + std::to_string(l1) + "\"") != std::string::npos);
        BOOST_TEST(queue.body.find("DG-A-2") != std::string::npos);
        BOOST_TEST(queue.body.find("Erik Example") != std::string::npos);
        BOOST_TEST(queue.body.find("various invoices") != std::string::npos);
        BOOST_TEST(queue.body.find("camt") != std::string::npos);  // the statement column
        // Filters: state, amount, date range.
        const Reply suggestedOnly = http(w.port, "GET", "/payments?state=suggested", f.as);
        BOOST_TEST(suggestedOnly.body.find("line-" + std::to_string(l1)) != std::string::npos);
        BOOST_TEST(suggestedOnly.body.find("line-" + std::to_string(l2)) == std::string::npos);
        const Reply byAmount = http(w.port, "GET", "/payments?amount=400,00", f.as);
        BOOST_TEST(byAmount.body.find("line-" + std::to_string(l2)) != std::string::npos);
        BOOST_TEST(byAmount.body.find("line-" + std::to_string(l1)) == std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/payments?from=2024-06-02", f.as).body.find("class=\"line\"") == std::string::npos);
        BOOST_TEST(http(w.port, "GET", "/payments?from=2024-06-01&to=2024-06-01", f.as).body.find("line-" + std::to_string(l3)) !=
                   std::string::npos);

        // 1. Confirm the suggestion: 303 back to the line with the result; the dossier is paid.
        BOOST_TEST(f.post(l1, "confirm", "dossier=" + std::to_string(w.dossierA)).header("Location") ==
                   "/payments/" + std::to_string(l1) + "?error=suggestion");
        Reply r = f.post(l1, "confirm", "dossier=" + std::to_string(a2));
        BOOST_TEST(r.status == 303);
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l1) + "?ok=confirmed");
        const Reply shown = http(w.port, "GET", f.location(r), f.as);
        BOOST_TEST(shown.body.find("role=\"status\"") != std::string::npos);
        BOOST_TEST(dossier(w, a2).status == "paid");
        BOOST_TEST(dossier(w, a2).openMinor == 0);
        BOOST_TEST(eventNames(w, a2, "payment_matched", "Alice Acme"));

        // 2. Match by hand via the dossier search, split: refusals first, nothing applied by them.
        const Reply search = http(w.port, "GET", "/payments/" + std::to_string(l2) + "?q=Fiona", f.as);
        BOOST_TEST(search.body.find("name=\"amount_" + std::to_string(a3) + "\"") != std::string::npos);
        BOOST_TEST(search.body.find("name=\"amount_" + std::to_string(w.dossierA) + "\"") == std::string::npos);
        BOOST_TEST(search.body.find("DG-B-1") == std::string::npos);
        // Several terms: one form for a split over dossiers no single term finds; never B's.
        const Reply both = http(w.port, "GET", "/payments/" + std::to_string(l2) + "?q=Fiona,+INV-A-1,+Zed", f.as);
        BOOST_TEST(both.body.find("name=\"amount_" + std::to_string(a3) + "\"") != std::string::npos);
        BOOST_TEST(both.body.find("name=\"amount_" + std::to_string(w.dossierA) + "\"") != std::string::npos);
        BOOST_TEST(both.body.find("DG-B-1") == std::string::npos);
        r = f.post(l2, "match", "amount_" + std::to_string(a3) + "=350.00");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l2) + "?error=open&dossier=" + std::to_string(a3));
        const Reply refusedOpen = http(w.port, "GET", f.location(r), f.as);
        BOOST_TEST(refusedOpen.body.find("DG-A-3") != std::string::npos);
        BOOST_TEST(refusedOpen.body.find("EUR 300.00") != std::string::npos, refusedOpen.body);
        r = f.post(l2, "match", "amount_" + std::to_string(a3) + "=300.00&amount_" + std::to_string(w.dossierA) + "=200");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l2) + "?error=line");
        BOOST_TEST(http(w.port, "GET", f.location(r), f.as).body.find("EUR 400.00") != std::string::npos);
        BOOST_TEST(f.location(f.post(l2, "match", "amount_" + std::to_string(a3) + "=abc")) ==
                   "/payments/" + std::to_string(l2) + "?error=amount");
        BOOST_TEST(f.location(f.post(l2, "match", "")) == "/payments/" + std::to_string(l2) + "?error=none");
        BOOST_TEST(dossier(w, a3).openMinor == 30000);
        r = f.post(l2, "match", "amount_" + std::to_string(a3) + "=300,00&amount_" + std::to_string(w.dossierA) + "=100.00");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l2) + "?ok=matched");
        BOOST_TEST(dossier(w, a3).status == "paid");
        BOOST_TEST(dossier(w, w.dossierA).openMinor == 123450 - 10000);
        BOOST_TEST(eventNames(w, a3, "payment_matched", "Alice Acme"));
        const Reply matchedPage = http(w.port, "GET", "/payments/" + std::to_string(l2), f.as);
        BOOST_TEST(matchedPage.body.find("DG-A-3") != std::string::npos);
        BOOST_TEST(matchedPage.body.find("id=\"undo\"") != std::string::npos);

        // 3. Undo needs a reason; then the dossiers are open again.
        BOOST_TEST(f.location(f.post(l2, "undo", "reason=+")) == "/payments/" + std::to_string(l2) + "?error=reason");
        BOOST_TEST(dossier(w, a3).status == "paid");
        r = f.post(l2, "undo", "reason=wrong+debtor");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l2) + "?ok=undone");
        BOOST_TEST(dossier(w, a3).openMinor == 30000);
        BOOST_TEST(dossier(w, a3).status == "active");
        BOOST_TEST(dossier(w, w.dossierA).openMinor == 123450);
        BOOST_TEST(eventNames(w, a3, "payment_unmatched", "Alice Acme"));

        // 4. Mark: a matched line is refused, a queued one leaves the queue.
        BOOST_TEST(f.location(f.post(l1, "mark", "mark=not_ours")) == "/payments/" + std::to_string(l1) + "?error=matched");
        BOOST_TEST(f.location(f.post(l3, "mark", "mark=whatever")) == "/payments/" + std::to_string(l3) + "?error=mark");
        r = f.post(l3, "mark", "mark=bank_costs&reason=fee");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l3) + "?ok=marked");
        BOOST_TEST(pay::payment(w.ctx, services::Principal{}, l3)->state == "bank_costs");
        BOOST_TEST(http(w.port, "GET", "/payments", f.as).body.find("line-" + std::to_string(l3)) == std::string::npos);
        const bool markedEvent = w.ctx.db->transaction([&](store::Tx& tx) {
            return tx.queryOne("SELECT 1 FROM events WHERE creditor_id = $1 AND kind = 'payment_marked' AND summary LIKE $2",
                               {w.a.id, std::string("%Alice Acme%")})
                .has_value();
        });
        BOOST_TEST(markedEvent);

        // Wrong CSRF: nothing happens.
        BOOST_TEST(http(w.port, "POST", "/payments/" + std::to_string(l2) + "/undo", f.as, "csrf=nope&reason=x").status == 403);

        // The dossier page links to its payments; the navigation to the queue.
        const Reply page = http(w.port, "GET", "/dossiers/" + std::to_string(a3), f.as);
        BOOST_TEST(page.body.find("/payments?state=all&amp;dossier=" + std::to_string(a3)) != std::string::npos);
        BOOST_TEST(page.body.find("href=\"/payments\"") != std::string::npos);
        const Reply ofDossier = http(w.port, "GET", "/payments?state=all&dossier=" + std::to_string(a3), f.as);
        BOOST_TEST(ofDossier.body.find("line-" + std::to_string(l2)) != std::string::npos);
        BOOST_TEST(ofDossier.body.find("line-" + std::to_string(l1)) == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(staff_filter_by_creditor_and_page_through_the_queue) {
    forEachBackend([](TestStore& s) {
        World w(s);
        std::vector<Entry> many;
        for (int i = 1; i <= 53; ++i)
            many.push_back(Entry{100 + i, "Payer " + std::to_string(i), "BE43068999999501", "", "line " + std::to_string(i)});
        w.addUser(std::nullopt, "sam@agency.example", "Sam Staff");
        Finance f(w, w.loginAs("sam@agency.example"));
        const Reply up = f.upload("many.xml", camt(kIbanA, "STMT-MANY", many));
        BOOST_TEST(up.status == 200);
        BOOST_TEST(up.body.find("id=\"up-added\">53<") != std::string::npos);

        const Reply first = http(w.port, "GET", "/payments?state=unmatched", f.as);
        BOOST_TEST(countOf(first.body, "class=\"line\"") == 50);
        const auto p = first.body.find("id=\"next-page\" href=\"");
        BOOST_REQUIRE(p != std::string::npos);
        std::string next = first.body.substr(p + 21, first.body.find('"', p + 21) - p - 21);
        for (std::string::size_type q; (q = next.find("&amp;")) != std::string::npos;) next.replace(q, 5, "&");
        const Reply second = http(w.port, "GET", next, f.as);
        BOOST_TEST(countOf(second.body, "class=\"line\"") == 3);
        BOOST_TEST(second.body.find("id=\"next-page\"") == std::string::npos);

        // Staff see every creditor; the creditor filter narrows to one.
        BOOST_TEST(first.body.find("Bravo Secret Industries") != std::string::npos);  // the filter's options
        BOOST_TEST(countOf(http(w.port, "GET", "/payments?state=all&creditor=" + std::to_string(w.a.id), f.as).body,
                           "class=\"line\"") == 50);
        BOOST_TEST(countOf(http(w.port, "GET", "/payments?state=all&creditor=" + std::to_string(w.b.id), f.as).body,
                           "class=\"line\"") == 0);
        // Staff match by hand too; the event names them.
        const auto l = lineWithAmount(w, 101);
        const Reply r = f.post(l, "match", "amount_" + std::to_string(w.dossierA) + "=1.01");
        BOOST_TEST(f.location(r) == "/payments/" + std::to_string(l) + "?ok=matched");
        BOOST_TEST(eventNames(w, w.dossierA, "payment_matched", "Sam Staff"));
    });
}

BOOST_AUTO_TEST_SUITE_END()
