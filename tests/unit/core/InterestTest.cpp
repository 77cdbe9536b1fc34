#include "gateway/core/InterestCalculator.h"
#include "gateway/core/RateTable.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

using namespace duegate::core;

namespace {
CivilDate d(const char* iso) { return *CivilDate::parseIso(iso); }
const RateTable& table(const char* name) { return *defaultRateTables().find(name); }

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(interest)

BOOST_AUTO_TEST_CASE(legal_md_example_one_thousand_at_ten_and_a_half_for_thirty_days) {
    // €1,000 × 10.5 % × 30/365 = 100000 × 1050 × 30 / 3650000 = 863.01 cents -> €8.63.
    auto r = simpleInterest(Money::eur(100000), table("be-late-payment"), d("2025-07-01"), d("2025-07-30"));
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r->days == 30);
    BOOST_TEST(r->total.toDecimal() == "8.63");
}

BOOST_AUTO_TEST_CASE(one_period_and_two_periods) {
    // Due 30 Jun 2025, on 30 Sep 2025: 1 Jul..30 Sep = 92 days at 10.5 %:
    // 100000 × 1050 × 92 / 3650000 = 2646.58 -> €26.47.
    auto one = simpleInterest(Money::eur(100000), table("be-late-payment"), d("2025-07-01"), d("2025-09-30"));
    BOOST_TEST(one->total.toDecimal() == "26.47");
    BOOST_TEST(one->slices.size() == 1u);
    // 16 Jun..10 Jul 2025: 15 days at 11.5 % (100000 × 1150 × 15 / 3650000 = 472.60 -> 4.73)
    //                    + 10 days at 10.5 % (100000 × 1050 × 10 / 3650000 = 287.67 -> 2.88) = €7.61.
    auto two = simpleInterest(Money::eur(100000), table("be-late-payment"), d("2025-06-16"), d("2025-07-10"));
    BOOST_TEST_REQUIRE(two->slices.size() == 2u);
    BOOST_TEST(two->slices[0].interest.toDecimal() == "4.73");
    BOOST_TEST(two->slices[0].days == 15);
    BOOST_TEST(two->slices[1].interest.toDecimal() == "2.88");
    BOOST_TEST(two->total.toDecimal() == "7.61");
}

BOOST_AUTO_TEST_CASE(no_rate_known_is_an_error_not_a_guess) {
    auto r = simpleInterest(Money::eur(100000), table("nl-statutory"), d("2025-12-01"), d("2026-03-01"));
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message == "no rate known for 2026-01-01 in table nl-statutory");
    auto before = simpleInterest(Money::eur(100000), table("be-late-payment"), d("2023-12-31"), d("2024-01-05"));
    BOOST_TEST(!before.ok());
}

BOOST_AUTO_TEST_CASE(empty_interval_gives_zero) {
    auto r = simpleInterest(Money::eur(100000), table("be-late-payment"), d("2025-07-01"), d("2025-06-30"));
    BOOST_TEST(r->total.minor() == 0);
    BOOST_TEST(r->slices.empty());
}

BOOST_AUTO_TEST_CASE(interest_is_monotone_in_time_and_principal) {
    const auto& t = table("be-late-payment");
    for (std::int64_t principal : {1, 99, 12345, 100000, 987654321}) {
        std::int64_t previous = 0;
        for (int n = 0; n < 900; n += 7) {
            auto r = simpleInterest(Money::eur(principal), t, d("2024-01-01"), d("2024-01-01").plusDays(n));
            BOOST_TEST_REQUIRE(r.ok());
            BOOST_TEST_REQUIRE(r->total.minor() >= previous);
            previous = r->total.minor();
        }
    }
    std::int64_t previous = 0;
    for (std::int64_t principal = 0; principal < 2000000; principal += 1013) {
        auto r = simpleInterest(Money::eur(principal), t, d("2025-03-01"), d("2025-10-01"));
        BOOST_TEST_REQUIRE(r->total.minor() >= previous);
        previous = r->total.minor();
    }
}

BOOST_AUTO_TEST_CASE(huge_principal_does_not_overflow) {
    // 10^16 cents × 1250 bp × 366 days exceeds int64 in the product; the quotient fits.
    auto r = simpleInterest(Money::eur(10000000000000000LL), table("be-late-payment"), d("2024-01-01"), d("2024-12-31"));
    BOOST_TEST_REQUIRE(r.ok());
    // 10^16 × 1250 × 366 / 3650000 = 1253424657534246.57 -> ...247
    BOOST_TEST(r->total.minor() == 1253424657534247LL);
}

BOOST_AUTO_TEST_CASE(compiled_in_table_equals_the_config_file) {
    const auto text = readFile(std::string(DUEGATE_SOURCE_DIR) + "/config/rates/interest_rates.ini");
    BOOST_TEST_REQUIRE(!text.empty());
    auto parsed = parseRateTables(text);
    BOOST_TEST_REQUIRE(parsed.ok(), (parsed.ok() ? std::string() : parsed.error().toString()));
    BOOST_TEST_REQUIRE(parsed->tables.size() == defaultRateTables().tables.size());
    for (std::size_t i = 0; i < parsed->tables.size(); ++i) {
        const auto& a = parsed->tables[i];
        const auto& b = defaultRateTables().tables[i];
        BOOST_TEST(a.name == b.name);
        BOOST_TEST_REQUIRE(a.periods.size() == b.periods.size(), a.name);
        for (std::size_t k = 0; k < a.periods.size(); ++k) {
            BOOST_TEST(a.periods[k].from == b.periods[k].from);
            BOOST_TEST(a.periods[k].to == b.periods[k].to);
            BOOST_TEST(a.periods[k].basisPoints == b.periods[k].basisPoints);
            BOOST_TEST(a.periods[k].verified == b.periods[k].verified);
            BOOST_TEST(a.periods[k].source == b.periods[k].source);
        }
    }
    BOOST_TEST((*parsed == defaultRateTables()));
}

BOOST_AUTO_TEST_CASE(rate_file_errors_name_the_line) {
    auto bad = parseRateTables("[x]\n2025-01-01 2025-06-30 10.5 verified src\n2025-06-01 2025-12-31 10 verified src\n");
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST(bad.error().line == 3u);
    BOOST_TEST(!parseRateTables("[x]\n2025-01-01 2025-06-30 10.555 verified src\n").ok());
    BOOST_TEST(!parseRateTables("[x]\n2025-01-01 2025-06-30 10.5 maybe src\n").ok());
    BOOST_TEST(!parseRateTables("[x]\n2025-01-01 2025-06-30 10.5 verified\n").ok());
    BOOST_TEST(!parseRateTables("2025-01-01 2025-06-30 10.5 verified src\n").ok());
    auto ok = parseRateTables("; c\n[x]\n2025-01-01 2025-06-30 10.5 unverified some source\n");
    BOOST_TEST_REQUIRE(ok.ok());
    BOOST_TEST(ok->tables[0].periods[0].basisPoints == 1050);
    BOOST_TEST(!ok->tables[0].periods[0].verified);
    BOOST_TEST(ok->tables[0].periods[0].source == "some source");
}

BOOST_AUTO_TEST_SUITE_END()
