// POST /hooks/twilio/status and /inbound: 204 when X-Twilio-Signature is Twilio's signature over
// {base_url}{path} and the sorted form parameters with [twilio] auth_token; 403 otherwise.
#include "channels/TwilioSignature.h"
#include "tests/unit/portal/PortalFixture.h"

#include <boost/test/unit_test.hpp>

using namespace duegate;
using namespace duegate::testing;

namespace {

const std::string kToken = "twilio-auth-token";

std::string form(const channels::TwilioParams& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        std::string ev;
        for (unsigned char c : v) {
            if (std::isalnum(c)) ev += static_cast<char>(c);
            else {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%%%02X", c);
                ev += buf;
            }
        }
        out += (out.empty() ? "" : "&") + k + "=" + ev;
    }
    return out;
}

Reply post(World& w, const std::string& path, const channels::TwilioParams& params, const std::string& signature) {
    Headers h;
    if (!signature.empty()) h.emplace_back("X-Twilio-Signature", signature);
    return http(w.port, "POST", path, h, form(params));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(twilio_hooks)

BOOST_AUTO_TEST_CASE(only_correctly_signed_webhooks_get_204) {
    forEachBackend([](TestStore& s) {
        World w(s);
        const channels::TwilioParams status = {{"MessageSid", "SM123"}, {"MessageStatus", "delivered"},
                                               {"To", "+32470123456"}};
        const std::string url = w.ctx.settings.baseUrl + "/hooks/twilio/status";
        // No auth token configured: nothing is trusted.
        BOOST_TEST(post(w, "/hooks/twilio/status", status, channels::computeTwilioSignature("", url, status)).status ==
                   403);
        w.ctx.settings.twilioAuthToken = kToken;
        BOOST_TEST(post(w, "/hooks/twilio/status", status, channels::computeTwilioSignature(kToken, url, status)).status ==
                   204);
        BOOST_TEST(post(w, "/hooks/twilio/status", status, "").status == 403);
        BOOST_TEST(post(w, "/hooks/twilio/status", status, channels::computeTwilioSignature("other", url, status)).status ==
                   403);
        auto tampered = status;
        tampered[1].second = "undelivered";
        BOOST_TEST(post(w, "/hooks/twilio/status", tampered, channels::computeTwilioSignature(kToken, url, status))
                       .status == 403);
        // Signed for the other route: refused.
        BOOST_TEST(post(w, "/hooks/twilio/inbound", status, channels::computeTwilioSignature(kToken, url, status))
                       .status == 403);
        const channels::TwilioParams inbound = {{"From", "+32499000000"}, {"Body", "Wie bent u?"}, {"MessageSid", "SMi"}};
        BOOST_TEST(post(w, "/hooks/twilio/inbound", inbound,
                        channels::computeTwilioSignature(kToken, w.ctx.settings.baseUrl + "/hooks/twilio/inbound",
                                                         inbound))
                       .status == 204);
    });
}

BOOST_AUTO_TEST_SUITE_END()
