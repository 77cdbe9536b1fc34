#include "PortalFixture.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace duegate;
using namespace duegate::testing;

namespace {

Poco::JSON::Object::Ptr parse(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_api)

BOOST_AUTO_TEST_CASE(the_dossier_list_has_the_documented_shape_and_only_the_key_holders_dossiers) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const Reply r = http(w.port, "GET", "/api/v1/dossiers", bearer(w.a.apiKey));
        BOOST_TEST(r.status == 200);
        BOOST_TEST(r.header("Content-Type") == "application/json");
        auto list = parse(r.body)->getArray("dossiers");
        BOOST_REQUIRE(list->size() == 1u);
        auto d = list->getObject(0);
        BOOST_TEST(d->get("id").isInteger());
        BOOST_TEST(d->getValue<std::int64_t>("id") == w.dossierA);
        BOOST_TEST(d->getValue<std::string>("reference") == "DG-A-1");
        BOOST_TEST(d->getValue<std::string>("status") == "active");
        BOOST_TEST(d->get("open_amount").isString());
        BOOST_TEST(d->getValue<std::string>("open_amount") == "1234.50");
        BOOST_TEST(d->getValue<std::string>("currency") == "EUR");
        BOOST_TEST(d->getObject("debtor")->getValue<std::string>("name") == "Dora Debtor");
        BOOST_TEST(d->getObject("debtor")->getValue<std::string>("email") == "debtor@" + std::to_string(w.a.id) + ".example");
        auto inv = d->getArray("invoices")->getObject(0);
        BOOST_TEST(inv->getValue<std::string>("number") == "INV-A-1");
        BOOST_TEST(inv->getValue<std::string>("amount") == "1234.50");
        BOOST_TEST(inv->getValue<std::string>("currency") == "EUR");
        BOOST_TEST(inv->getValue<std::string>("issue_date") == "2024-05-01");
        BOOST_TEST(inv->getValue<std::string>("due_date") == "2024-05-31");
        BOOST_TEST(r.body.find("INV-B-SECRET") == std::string::npos);
        BOOST_TEST(r.body.find("Zed Hidden") == std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(a_missing_or_wrong_api_key_gets_401_with_a_json_error) {
    forEachBackend([](TestStore& s) {
        World w(s);
        for (const Headers& h : {Headers{}, bearer("dg_wrong_key_000000000000"), Headers{{"Authorization", w.a.apiKey}},
                                 Headers{{"Authorization", "Basic " + w.a.apiKey}}}) {
            const Reply r = http(w.port, "GET", "/api/v1/dossiers", h);
            BOOST_TEST(r.status == 401);
            BOOST_TEST(r.header("Content-Type") == "application/json");
            BOOST_TEST(parse(r.body)->getValue<std::string>("error") == "unauthorized");
            BOOST_TEST(r.body.find("DG-A-1") == std::string::npos);
        }
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers/" + std::to_string(w.dossierA) + "/events",
                        bearer("dg_wrong_key_000000000000"))
                       .status == 401);
    });
}

BOOST_AUTO_TEST_CASE(events_come_oldest_first_with_the_documented_fields) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const Reply r = http(w.port, "GET", "/api/v1/dossiers/" + std::to_string(w.dossierA) + "/events", bearer(w.a.apiKey));
        BOOST_TEST(r.status == 200);
        auto events = parse(r.body)->getArray("events");
        BOOST_REQUIRE(events->size() == 2u);
        BOOST_TEST(events->getObject(0)->getValue<std::string>("kind") == "invoice_received");
        BOOST_TEST(events->getObject(0)->getValue<std::string>("channel") == "email");
        BOOST_TEST(events->getObject(0)->getValue<std::string>("summary") == "Invoice INV-A-1 received");
        BOOST_TEST(events->getObject(0)->getValue<std::string>("at").rfind("2024-06-01T10:00:00", 0) == 0);
        BOOST_TEST(events->getObject(1)->getValue<std::string>("kind") == "dossier_created");
        BOOST_TEST(events->getObject(1)->isNull("channel"));
    });
}

BOOST_AUTO_TEST_CASE(another_creditors_dossier_is_404_exactly_like_a_missing_one) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const Reply foreign =
            http(w.port, "GET", "/api/v1/dossiers/" + std::to_string(w.dossierB) + "/events", bearer(w.a.apiKey));
        const Reply missing = http(w.port, "GET", "/api/v1/dossiers/999999/events", bearer(w.a.apiKey));
        BOOST_TEST(foreign.status == 404);
        BOOST_TEST(missing.status == 404);
        BOOST_TEST(foreign.body == missing.body);
        BOOST_TEST(foreign.body.find("INV-B-SECRET") == std::string::npos);
        BOOST_TEST(foreign.body.find("DG-B-1") == std::string::npos);
        // And B's own key does see it.
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers/" + std::to_string(w.dossierB) + "/events", bearer(w.b.apiKey))
                       .status == 200);
    });
}

BOOST_AUTO_TEST_CASE(a_staff_session_cookie_is_accepted_by_the_api_and_sees_every_creditor) {
    forEachBackend([](TestStore& s) {
        World w(s);
        w.addUser(std::nullopt, "staff@agency.example", "Sam Staff");
        const std::string session = w.loginAs("staff@agency.example");
        BOOST_REQUIRE(!session.empty());
        const Reply r = http(w.port, "GET", "/api/v1/dossiers", {{"Cookie", "dg_session=" + session}});
        BOOST_TEST(r.status == 200);
        BOOST_TEST(parse(r.body)->getArray("dossiers")->size() == 2u);
    });
}

BOOST_AUTO_TEST_CASE(the_after_parameter_pages_through_the_list) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const auto second = w.addDossier(w.a.id, "Eve Second", "DG-A-2", "INV-A-2", 500);
        const Reply r = http(w.port, "GET", "/api/v1/dossiers?after=" + std::to_string(w.dossierA), bearer(w.a.apiKey));
        auto list = parse(r.body)->getArray("dossiers");
        BOOST_REQUIRE(list->size() == 1u);
        BOOST_TEST(list->getObject(0)->getValue<std::int64_t>("id") == second);
        BOOST_TEST(list->getObject(0)->getValue<std::string>("open_amount") == "5.00");
        BOOST_TEST(http(w.port, "GET", "/api/v1/dossiers?after=x", bearer(w.a.apiKey)).status == 400);
    });
}

BOOST_AUTO_TEST_SUITE_END()
