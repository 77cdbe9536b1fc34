// Properties of the payment matcher over random dossiers and lines (fixed seeds, so a failure
// reproduces): never more allocated than the line or the open amount, never a negative open
// amount, and the same verdict every time and whatever the order of the candidates.
#include "gateway/core/PaymentReference.h"
#include "gateway/core/matching/MatchIndex.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <random>

using namespace duegate::core::matching;
using duegate::core::ogmForNumber;
using duegate::core::rfForNumber;

namespace {

struct World {
    std::vector<Candidate> dossiers;
    std::vector<PaymentLine> lines;
};

World randomWorld(std::uint32_t seed, int nDossiers, int nLines) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const char* first[] = {"Jan", "Marie", "Piet", "Anna", "Luc", "Sofie"};
    const char* last[] = {"Peeters", "Janssens", "Maes", "Jacobs", "De Vries", "Bakker"};
    World w;
    for (int i = 1; i <= nDossiers; ++i) {
        Candidate c;
        c.dossierId = i;
        c.creditorId = pick(1, 3);
        c.debtorId = pick(1, nDossiers / 3 + 1);  // several dossiers per debtor
        c.currency = pick(0, 9) == 0 ? "USD" : "EUR";
        c.openMinor = pick(0, 6) == 0 ? 0 : pick(1, 50000);
        c.paymentReference = pick(0, 1) ? *ogmForNumber(1000000 + static_cast<std::uint64_t>(i))
                                        : *rfForNumber("D", static_cast<std::uint64_t>(i));
        c.invoiceNumbers = {"F" + std::to_string(pick(100, 100 + nDossiers / 2))};  // collisions on purpose
        c.debtorName = std::string(first[pick(0, 5)]) + " " + last[pick(0, 5)];
        if (pick(0, 3) == 0) c.knownPayerIbans = {pick(0, 1) ? "BE68539007547034" : "NL91ABNA0417164300"};
        if (pick(0, 4) == 0) c.endToEndId = "E2E" + std::to_string(i);
        w.dossiers.push_back(c);
    }
    for (int i = 1; i <= nLines; ++i) {
        PaymentLine l;
        l.id = i;
        l.currency = pick(0, 12) == 0 ? "USD" : "EUR";
        l.amountMinor = pick(0, 15) == 0 ? -pick(1, 5000) : pick(1, 60000);
        l.exact = pick(0, 20) != 0;
        l.reversal = pick(0, 30) == 0;
        auto ref = [&] { return w.dossiers[static_cast<std::size_t>(pick(0, nDossiers - 1))].paymentReference; };
        switch (pick(0, 7)) {
            case 0: l.reference = ref(); break;
            case 1: l.remittance = "pay " + ref() + " and " + ref(); break;
            case 2: l.remittance = "F" + std::to_string(pick(100, 100 + nDossiers / 2)) + " F" + std::to_string(pick(100, 300)); break;
            case 3: l.endToEndId = "E2E" + std::to_string(pick(1, nDossiers)); break;
            case 4: l.counterpartyIban = "BE68539007547034"; break;
            case 5: l.counterpartyName = std::string(last[pick(0, 5)]) + " " + first[pick(0, 5)]; break;
            case 6: l.remittance = std::to_string(1000000 + pick(1, nDossiers)); break;  // OGM base
            default: l.remittance = "random text " + std::to_string(pick(0, 1 << 30)); break;
        }
        if (pick(0, 5) == 0) l.creditorScope = pick(1, 3);
        w.lines.push_back(l);
    }
    return w;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(matcher_properties)

BOOST_AUTO_TEST_CASE(never_more_allocated_than_the_line_or_the_open_amount_and_never_a_negative_open) {
    for (std::uint32_t seed = 1; seed <= 4; ++seed) {
        World w = randomWorld(seed, 400, 1000);
        std::map<std::int64_t, std::int64_t> open;
        std::map<std::int64_t, const Candidate*> byId;
        for (const Candidate& c : w.dossiers) {
            open[c.dossierId] = c.openMinor;
            byId[c.dossierId] = &c;
        }
        MatchIndex index(w.dossiers);
        int applied = 0, suggested = 0;
        for (const PaymentLine& l : w.lines) {
            Verdict v = index.match(l);
            BOOST_TEST_CONTEXT("seed " << seed << " line " << l.id << " rule " << v.rule) {
                BOOST_TEST(v.suggestions.size() <= 3u);
                for (const Suggestion& s : v.suggestions) BOOST_TEST((s.score >= 0 && s.score <= 100));
                for (std::size_t i = 1; i < v.suggestions.size(); ++i)
                    BOOST_TEST(v.suggestions[i - 1].score >= v.suggestions[i].score);
                if (v.kind != Verdict::Kind::Apply) {
                    BOOST_TEST(v.allocations.empty());
                    if (v.kind == Verdict::Kind::Suggest) ++suggested;
                    continue;
                }
                ++applied;
                BOOST_TEST(l.exact);
                BOOST_TEST(l.amountMinor > 0);
                BOOST_TEST(!l.reversal);
                std::int64_t sum = 0;
                for (const Allocation& a : v.allocations) {
                    const Candidate& c = *byId.at(a.dossierId);
                    BOOST_TEST(a.amountMinor > 0);
                    BOOST_TEST(a.amountMinor <= open[a.dossierId]);
                    BOOST_TEST(c.currency == l.currency);
                    BOOST_TEST((l.creditorScope == 0 || c.creditorId == l.creditorScope));
                    sum += a.amountMinor;
                }
                BOOST_TEST(sum + v.surplusMinor == l.amountMinor);
                BOOST_TEST(v.surplusMinor >= 0);
                for (const Allocation& a : v.allocations) {
                    BOOST_TEST(index.applied(a.dossierId, a.amountMinor));
                    open[a.dossierId] -= a.amountMinor;
                    BOOST_TEST(open[a.dossierId] >= 0);
                    BOOST_TEST(*index.openMinor(a.dossierId) == open[a.dossierId]);
                }
            }
        }
        // The mix exercises the interesting paths.
        BOOST_TEST(applied > 50);
        BOOST_TEST(suggested > 10);
        for (auto [id, o] : open) BOOST_TEST(o >= 0);
    }
}

BOOST_AUTO_TEST_CASE(matching_twice_or_with_the_candidates_shuffled_gives_the_same_verdict) {
    for (std::uint32_t seed = 11; seed <= 13; ++seed) {
        World w = randomWorld(seed, 300, 800);
        MatchIndex index(w.dossiers);
        std::vector<Candidate> shuffled = w.dossiers;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(seed * 7));
        MatchIndex other(shuffled);
        for (const PaymentLine& l : w.lines) {
            Verdict a = index.match(l);
            BOOST_TEST_CONTEXT("seed " << seed << " line " << l.id) {
                BOOST_TEST((a == index.match(l)));
                BOOST_TEST((a == other.match(l)));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(matcher_build)

BOOST_AUTO_TEST_CASE(building_on_two_threads_gives_the_same_verdicts_as_on_one) {
    World w = randomWorld(21, 12000, 3000);  // above the size where the build uses a second thread
    MatchIndex one(w.dossiers, 1), two(w.dossiers, 2);
    BOOST_TEST(one.size() == two.size());
    for (const PaymentLine& l : w.lines) BOOST_TEST((one.match(l) == two.match(l)), "line " << l.id);
}

BOOST_AUTO_TEST_SUITE_END()
