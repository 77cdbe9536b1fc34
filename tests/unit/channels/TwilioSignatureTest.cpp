// verifyTwilioSignature against the vectors in ../shared/corpus/twilio/signature_vectors.json
// (read by path, never copied here); the tests skip cleanly when the corpus is absent.
#include "channels/TwilioSignature.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace duegate::channels;

namespace {

const std::string kVectors = std::string(DUEGATE_CORPUS_DIR) + "/twilio/signature_vectors.json";

}  // namespace

BOOST_AUTO_TEST_SUITE(twilio_signature)

BOOST_AUTO_TEST_CASE(every_corpus_vector_verifies_as_the_corpus_says) {
    if (!Poco::File(kVectors).exists()) {
        BOOST_TEST_MESSAGE("skipped: " << kVectors << " not present");
        return;
    }
    std::ifstream in(kVectors);
    auto root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
    std::string token = root->getValue<std::string>("auth_token");
    auto vectors = root->getArray("vectors");
    BOOST_TEST_REQUIRE(vectors->size() >= 8u);
    for (std::size_t i = 0; i < vectors->size(); ++i) {
        auto v = vectors->getObject(static_cast<unsigned>(i));
        TwilioParams params;
        if (v->has("params") && !v->isNull("params")) {
            auto ps = v->getArray("params");
            for (std::size_t k = 0; k < ps->size(); ++k) {
                auto pair = ps->getArray(static_cast<unsigned>(k));
                params.emplace_back(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
            }
        }
        std::string url = v->getValue<std::string>("url");
        bool valid = v->getValue<bool>("valid");
        BOOST_TEST_CONTEXT("vector " << v->getValue<int>("id")) {
            BOOST_TEST(verifyTwilioSignature(token, url, params, v->getValue<std::string>("signature")) == valid);
            if (v->has("body")) BOOST_TEST(verifyTwilioBodyHash(url, v->getValue<std::string>("body")));
        }
    }
}

BOOST_AUTO_TEST_CASE(the_documented_string_to_sign_gives_the_documented_signature) {
    // WEBHOOK_SIGNATURE.md vector 1, independent of the JSON file.
    TwilioParams p = {{"CallSid", "CA1234567890ABCDE"}, {"Digits", "1234"}, {"From", "+14158675309"},
                      {"To", "+18005551212"}, {"Caller", "+14158675309"}};
    BOOST_TEST(computeTwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", p) ==
               "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

BOOST_AUTO_TEST_CASE(a_wrong_token_a_changed_parameter_or_an_empty_header_does_not_verify) {
    TwilioParams p = {{"From", "+3247000000"}, {"Body", "paid"}};
    std::string url = "https://duegate.example/hooks/twilio/sms";
    std::string sig = computeTwilioSignature("secret", url, p);
    BOOST_TEST(verifyTwilioSignature("secret", url, p, sig));
    BOOST_TEST(!verifyTwilioSignature("other", url, p, sig));
    TwilioParams changed = {{"From", "+3247000000"}, {"Body", "paid!"}};
    BOOST_TEST(!verifyTwilioSignature("secret", url, changed, sig));
    BOOST_TEST(!verifyTwilioSignature("secret", url, p, ""));
    BOOST_TEST(!verifyTwilioSignature("", url, p, sig));
    BOOST_TEST(!verifyTwilioSignature("secret", url + "/x", p, sig));
}

BOOST_AUTO_TEST_CASE(a_body_that_does_not_match_its_hash_is_refused) {
    BOOST_TEST(!verifyTwilioBodyHash("https://x/y?bodySHA256=00", "{}"));
    BOOST_TEST(!verifyTwilioBodyHash("https://x/y", "{}"));
}

BOOST_AUTO_TEST_SUITE_END()
