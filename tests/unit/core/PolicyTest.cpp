#include "gateway/core/PolicyParser.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duegate::core;

namespace {
std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const char* kHeader = "[policy]\nname = t\nregime = be-b2c\n";
}  // namespace

BOOST_AUTO_TEST_SUITE(policy)

BOOST_AUTO_TEST_CASE(every_shipped_policy_parses) {
    const std::filesystem::path dir = std::filesystem::path(DUEGATE_SOURCE_DIR) / "config" / "policies";
    int count = 0;
    std::vector<Policy> all;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".ini") continue;
        auto p = parsePolicy(readFile(entry.path()));
        BOOST_TEST_REQUIRE(p.ok(), entry.path().string() + ": " + (p.ok() ? std::string() : p.error().toString()));
        BOOST_TEST(p->name == entry.path().stem().string());
        all.push_back(*p);
        ++count;
    }
    BOOST_TEST(count >= 6);
    // One policy per segment the issue names, for Belgian consumers.
    BOOST_TEST(selectPolicy(all, "acme", Segment::Consumers, Regime::BeB2c)->name == "be-consumers");
    BOOST_TEST(selectPolicy(all, "acme", Segment::LatePayers, Regime::BeB2c)->name == "be-late-payers");
    BOOST_TEST(selectPolicy(all, "acme", Segment::ReliablePayers, Regime::BeB2c)->name == "be-reliable-payers");
    BOOST_TEST(selectPolicy(all, "acme", Segment::Businesses, Regime::BeB2b)->name == "be-businesses");
    BOOST_TEST(selectPolicy(all, "acme", Segment::Consumers, Regime::NlB2c)->name == "nl-consumers");
    BOOST_TEST(!selectPolicy(all, "acme", Segment::Consumers, Regime::NlB2b));
}

BOOST_AUTO_TEST_CASE(reads_steps_in_order_with_offsets_channels_and_effects) {
    auto p = parsePolicy(std::string(kHeader) +
                         "creditor = acme ; the creditor's reference\nsegment = late_payers\n"
                         "call_after_silence_days = 9\n"
                         "[step a]\nat = due -3\nchannels = email, sms\ntemplate = t1\n"
                         "[step b]\nat = due +5\nchannels = letter\ntemplate = t2\neffect = first_free_reminder\n"
                         "[step c]\nat = previous +10\nchannels = call\neffect = claim_costs\n");
    BOOST_TEST_REQUIRE(p.ok(), (p.ok() ? std::string() : p.error().toString()));
    BOOST_TEST(p->creditor == "acme");
    BOOST_TEST(p->segment == Segment::LatePayers);
    BOOST_TEST(p->callAfterSilenceDays == 9);
    BOOST_TEST_REQUIRE(p->steps.size() == 3u);
    BOOST_TEST(p->steps[0].offsetDays == -3);
    BOOST_TEST((p->steps[0].channels == std::vector<Channel>{Channel::Email, Channel::Sms}));
    BOOST_TEST((p->steps[1].effect == LegalEffect::FirstFreeReminder));
    BOOST_TEST((p->steps[2].anchor == Anchor::PreviousStep));
    BOOST_TEST(p->steps[2].offsetDays == 10);
}

BOOST_AUTO_TEST_CASE(refuses_policies_that_would_break_the_law) {
    struct Row { std::string text; std::string field; };
    const Row rows[] = {
        // costs for a consumer without a term-starting step first
        {std::string(kHeader) + "[step a]\nat = due +5\nchannels = email\neffect = claim_costs\n", "effect"},
        // the Belgian first free reminder under a Dutch regime
        {"[policy]\nname = t\nregime = nl-b2c\n[step a]\nat = due +5\nchannels = email\neffect = first_free_reminder\n",
         "effect"},
        // a term-starting notice by SMS only (not a durable medium)
        {std::string(kHeader) + "[step a]\nat = due +5\nchannels = sms\neffect = first_free_reminder\n", "channels"},
        // a legal effect on the due date
        {std::string(kHeader) + "[step a]\nat = due +0\nchannels = email\neffect = first_free_reminder\n", "at"},
        // "previous" must move forward
        {std::string(kHeader) + "[step a]\nat = previous +0\nchannels = email\n", "at"},
        {std::string(kHeader) + "[step a]\nat = due +5\nchannels = fax\n", "channels"},
        {std::string(kHeader) + "[step a]\nat = due +5\nchannels = email\n[step a]\nat = due +6\nchannels = email\n",
         "step"},
        {std::string(kHeader) + "[step a]\nchannels = email\n", "at"},
        {std::string(kHeader), "step"},
        {"[policy]\nname = t\n[step a]\nat = due +5\nchannels = email\n", "regime"},
        {std::string(kHeader) + "colour = blue\n", "colour"},
    };
    for (const auto& r : rows) {
        auto p = parsePolicy(r.text);
        BOOST_TEST_REQUIRE(!p.ok(), r.text);
        BOOST_TEST(p.error().field == r.field, r.text + " -> " + p.error().toString());
        BOOST_TEST(p.error().line > 0u);
    }
    // Business regimes may claim costs from the first reminder on (Law of 2 August 2002, art. 6).
    BOOST_TEST(parsePolicy("[policy]\nname = t\nregime = be-b2b\n[step a]\nat = due +1\nchannels = email\n"
                           "effect = claim_costs\n").ok());
}

BOOST_AUTO_TEST_SUITE_END()
