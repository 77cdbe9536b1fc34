// TwilioSmsChannel against tests/peers/fake_twilio.py on loopback, which holds the request to the
// Messages API spec in ../shared/corpus/twilio (by path; built-in parameter list when absent).
#include "channels/TwilioSmsChannel.h"
#include "tests/unit/channels/LoopbackPeers.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/TemporaryFile.h>

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace duegate::channels;
using namespace duegate::channels::test;

namespace {

const std::string kSid = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "tok-secret";
const std::string kSpec = std::string(DUEGATE_CORPUS_DIR) + "/twilio/twilio_api_v2010_messages_subset.json";

struct FakeTwilio {
    Poco::TemporaryFile log;
    std::uint16_t port = freePort();
    ChildProcess process{"/usr/bin/python3", args()};
    FakeTwilio() { BOOST_TEST_REQUIRE(waitForPort(port)); }

    std::vector<std::string> args() {
        std::vector<std::string> a = {std::string(DUEGATE_SOURCE_DIR) + "/tests/peers/fake_twilio.py",
                                      "--port", std::to_string(port), "--account-sid", kSid,
                                      "--auth-token", kToken, "--log", log.path()};
        if (Poco::File(kSpec).exists()) {
            a.push_back("--spec");
            a.push_back(kSpec);
        }
        return a;
    }

    TwilioOptions options() const {
        TwilioOptions o;
        o.baseUrl = "http://127.0.0.1:" + std::to_string(port) + "/";
        o.accountSid = kSid;
        o.authToken = kToken;
        o.from = "+3225550000";
        o.statusCallback = "http://127.0.0.1:8080/hooks/twilio/status";
        o.timeoutSeconds = 10;
        return o;
    }

    // The requests the fake received: one JSON object per line.
    std::vector<Poco::JSON::Object::Ptr> requests() const {
        std::vector<Poco::JSON::Object::Ptr> out;
        std::ifstream in(log.path());
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
        return out;
    }
};

std::vector<std::pair<std::string, std::string>> paramsOf(const Poco::JSON::Object::Ptr& request) {
    std::vector<std::pair<std::string, std::string>> out;
    auto ps = request->getArray("params");
    for (std::size_t i = 0; i < ps->size(); ++i) {
        auto p = ps->getArray(static_cast<unsigned>(i));
        out.emplace_back(p->getElement<std::string>(0), p->getElement<std::string>(1));
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(twilio_sms_channel)

BOOST_AUTO_TEST_CASE(an_sms_is_posted_as_the_spec_says_and_delivered_with_its_message_sid) {
    FakeTwilio twilio;
    TwilioSmsChannel channel(twilio.options());
    std::string body = "Herinnering: €12,50 & ref +++090/9337/55493+++ = betaal via https://x.example/d/a?b=c";
    DeliveryResult r = channel.send({"+32470123456", body});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isDelivered(r));
    std::string sid = std::get<Delivered>(r).providerId;
    BOOST_TEST(sid.size() == 34u);
    BOOST_TEST(sid.rfind("SM", 0) == 0u);

    auto reqs = twilio.requests();
    BOOST_TEST_REQUIRE(reqs.size() == 1u);
    BOOST_TEST(reqs[0]->getValue<bool>("auth_ok"));
    BOOST_TEST(reqs[0]->getValue<std::string>("path") == "/2010-04-01/Accounts/" + kSid + "/Messages.json");
    BOOST_TEST(reqs[0]->getValue<std::string>("content_type") == "application/x-www-form-urlencoded");
    std::vector<std::pair<std::string, std::string>> expected = {
        {"To", "+32470123456"}, {"From", "+3225550000"}, {"Body", body},
        {"StatusCallback", "http://127.0.0.1:8080/hooks/twilio/status"}};
    BOOST_TEST((paramsOf(reqs[0]) == expected));
}

BOOST_AUTO_TEST_CASE(an_invalid_number_is_a_failure_naming_twilios_error_code) {
    FakeTwilio twilio;
    DeliveryResult r = TwilioSmsChannel(twilio.options()).send({"+15005550001", "hi"});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isFailed(r));
    BOOST_TEST(std::get<Failed>(r).reason.find("twilio 21211") == 0u);
    BOOST_TEST(std::get<Failed>(r).reason.find("HTTP 400") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(too_many_requests_is_a_retry_after_twilios_retry_after) {
    FakeTwilio twilio;
    DeliveryResult r = TwilioSmsChannel(twilio.options()).send({"+15005550429", "hi"});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isRetry(r));
    BOOST_TEST(std::get<Retry>(r).afterSeconds == 7);
}

BOOST_AUTO_TEST_CASE(a_server_error_is_a_retry) {
    FakeTwilio twilio;
    DeliveryResult r = TwilioSmsChannel(twilio.options()).send({"+15005550500", "hi"});
    BOOST_TEST_REQUIRE(isRetry(r));
    BOOST_TEST(std::get<Retry>(r).afterSeconds == 60);
}

BOOST_AUTO_TEST_CASE(wrong_credentials_are_a_failure) {
    FakeTwilio twilio;
    auto o = twilio.options();
    o.authToken = "wrong";
    DeliveryResult r = TwilioSmsChannel(o).send({"+32470123456", "hi"});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isFailed(r));
    BOOST_TEST(std::get<Failed>(r).reason.find("20003") != std::string::npos);
    BOOST_TEST(std::get<Failed>(r).reason.find("wrong") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_slow_answer_is_an_unknown_outcome) {
    FakeTwilio twilio;
    auto o = twilio.options();
    o.timeoutSeconds = 1;
    DeliveryResult r = TwilioSmsChannel(o).send({"+15005550999", "hi"});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isUnknown(r));
    BOOST_TEST(std::get<Unknown>(r).reason.find("state unknown") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreachable_api_is_a_retry_with_nothing_sent) {
    TwilioOptions o;
    o.baseUrl = "http://127.0.0.1:" + std::to_string(freePort());
    o.accountSid = kSid;
    o.authToken = kToken;
    o.from = "+3225550000";
    DeliveryResult r = TwilioSmsChannel(o).send({"+32470123456", "hi"});
    BOOST_TEST_INFO(describe(r));
    BOOST_TEST_REQUIRE(isRetry(r));
    BOOST_TEST(std::get<Retry>(r).reason.find("state unknown") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_body_at_the_limit_is_sent_and_one_character_more_is_refused_locally) {
    FakeTwilio twilio;
    auto o = twilio.options();
    o.maxBodyChars = 10;
    TwilioSmsChannel channel(o);
    BOOST_TEST(isDelivered(channel.send({"+32470123456", "€€€€€€€€€€"})));   // 10 characters, 30 bytes
    DeliveryResult r = channel.send({"+32470123456", "€€€€€€€€€€€"});
    BOOST_TEST(isFailed(r));
    BOOST_TEST(twilio.requests().size() == 1u);
    BOOST_TEST(isFailed(channel.send({"", "x"})));
    BOOST_TEST(isFailed(channel.send({"+32470123456", ""})));
}

BOOST_AUTO_TEST_SUITE_END()
