#include "PortalFixture.h"

#include "gateway/services/DossierQueries.h"

using namespace duegate;
using namespace duegate::testing;

namespace {

std::size_t linkOpenedEvents(World& w, std::int64_t dossierId) {
    const auto detail = services::dossierDetail(w.ctx, services::Principal{}, dossierId);
    std::size_t n = 0;
    for (const auto& e : detail->events) n += e.kind == "link_opened" ? 1 : 0;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_debtor_page)

BOOST_AUTO_TEST_CASE(the_debtor_link_shows_what_to_pay_and_to_whom) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        const Reply r = http(w.port, "GET", "/d/" + token, {{"User-Agent", "TestPhone/1.0"}});
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.header("Content-Type") == "text/html; charset=utf-8");
        BOOST_TEST(r.header("Referrer-Policy") == "no-referrer");
        BOOST_TEST(r.header("Cache-Control") == "no-store");
        BOOST_TEST(r.body.find("name=\"viewport\"") != std::string::npos);
        BOOST_TEST(r.body.find("Acme Tools BV") != std::string::npos);
        BOOST_TEST(r.body.find("INV-A-1") != std::string::npos);
        BOOST_TEST(r.body.find("EUR 1234.50") != std::string::npos);
        BOOST_TEST(r.body.find("2024-05-31") != std::string::npos);
        BOOST_TEST(r.body.find("BE68539007547034") != std::string::npos);
        BOOST_TEST(r.body.find("GKCCBEBB") != std::string::npos);
        BOOST_TEST(r.body.find("+++123/4567/89002+++") != std::string::npos);
        // The EPC payment QR: drawn when libqrencode is compiled in, else the payload as text.
        const bool svg = r.body.find("<svg") != std::string::npos;
        const bool payload = r.body.find("BCD\n002\n1\nSCT") != std::string::npos;
        BOOST_TEST((svg || payload));
        BOOST_TEST(r.body.find("Bravo") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_link_records_link_opened_once_per_hour_however_often_the_page_is_viewed) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        BOOST_TEST(linkOpenedEvents(w, w.dossierA) == 0u);
        BOOST_TEST(http(w.port, "GET", "/d/" + token).status == 200);
        BOOST_TEST(linkOpenedEvents(w, w.dossierA) == 1u);
        for (int i = 0; i < 3; ++i) BOOST_TEST(http(w.port, "GET", "/d/" + token).status == 200);
        BOOST_TEST(linkOpenedEvents(w, w.dossierA) == 1u);  // reloads are reads, not writes
        w.clock->advanceSeconds(3601);
        BOOST_TEST(http(w.port, "GET", "/d/" + token).status == 200);
        BOOST_TEST(linkOpenedEvents(w, w.dossierA) == 2u);
        BOOST_TEST(linkOpenedEvents(w, w.dossierB) == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_tampered_unknown_or_expired_link_gets_the_same_404_and_records_nothing) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const std::string token = w.linkFor(w.a.id, w.dossierA);
        std::string tampered = token;
        tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
        const std::string otherId = "999" + token.substr(token.find('.'));
        const Reply reference = http(w.port, "GET", "/d/not-a-token");
        BOOST_TEST(reference.status == 404);
        for (const auto& bad : {tampered, otherId, std::string("1.2.3"), std::string(300, 'x')}) {
            const Reply r = http(w.port, "GET", "/d/" + bad);
            BOOST_TEST(r.status == 404);
            BOOST_TEST(r.body == reference.body);
            BOOST_TEST(r.body.find("Acme") == std::string::npos);
            BOOST_TEST(r.body.find("INV-A-1") == std::string::npos);
        }
        w.clock->advanceSeconds(200L * 24 * 3600);  // past the 120-day validity
        const Reply expired = http(w.port, "GET", "/d/" + token);
        BOOST_TEST(expired.status == 404);
        BOOST_TEST(expired.body == reference.body);
        BOOST_TEST(linkOpenedEvents(w, w.dossierA) == 0u);
    });
}

BOOST_AUTO_TEST_SUITE_END()
