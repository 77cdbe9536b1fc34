// Worked examples of LEGAL.md §1, §2 and §6, one row each with the arithmetic, plus properties.
#include "gateway/core/BelgianBusinessRules.h"
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/DutchRules.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::core;

namespace {
CivilDate d(const char* iso) { return *CivilDate::parseIso(iso); }
Money eur(const char* s) { return *Money::parse(s, "EUR"); }
}  // namespace

BOOST_AUTO_TEST_SUITE(legal_rules)

BOOST_AUTO_TEST_CASE(belgian_consumer_damages_caps_follow_the_worked_examples) {
    struct Row { const char* balance; const char* cap; };
    const Row rows[] = {
        {"80.00", "20.00"},       // ≤ 150: flat 20
        {"150.00", "20.00"},      // ≤ 150: flat 20
        {"150.01", "30.00"},      // 30 + 10% × 0.01 = 30.001 -> 30.00 (down)
        {"300.00", "45.00"},      // 30 + 10% × 150 = 45
        {"500.00", "65.00"},      // 30 + 10% × 350 = 65
        {"1000.00", "90.00"},     // 65 + 5% × 500 = 90
        {"5000.00", "290.00"},    // 65 + 5% × 4,500 = 290
        {"39200.00", "2000.00"},  // 65 + 5% × 38,700 = 2,000 (cap reached exactly)
        {"50000.00", "2000.00"},  // 65 + 5% × 49,500 = 2,540 -> cap 2,000
        {"0.00", "20.00"},
    };
    for (const auto& r : rows) {
        auto cap = BelgianConsumerRules::damagesCap(eur(r.balance));
        BOOST_TEST_REQUIRE(cap.ok());
        BOOST_TEST(cap->amount.toDecimal() == r.cap, r.balance);
    }
    BOOST_TEST(!BelgianConsumerRules::damagesCap(Money(1000, "USD")).ok());
}

BOOST_AUTO_TEST_CASE(belgian_consumer_caps_are_never_exceeded_and_never_fall) {
    std::int64_t previous = 0;
    for (std::int64_t cents = 0; cents <= 6000000; cents += 37) {
        const auto cap = BelgianConsumerRules::damagesCap(Money::eur(cents))->amount.minor();
        BOOST_TEST_REQUIRE(cap <= 200000);
        BOOST_TEST_REQUIRE(cap >= 2000);
        BOOST_TEST_REQUIRE(cap >= previous);
        previous = cap;
    }
}

BOOST_AUTO_TEST_CASE(belgian_first_reminder_term_by_post_and_by_email) {
    // Sent Fri 5 Dec 2025 by post: working days Mon 8, Tue 9, Wed 10 -> day 1 Wed 10 Dec;
    // day 14 = 10 + 13 = Tue 23 Dec; charges from Wed 24 Dec.
    const auto post = BelgianConsumerRules::firstReminderTerm(d("2025-12-05"), Medium::Post);
    BOOST_TEST(post.firstDay.iso() == "2025-12-10");
    BOOST_TEST(post.lastDay.iso() == "2025-12-23");
    BOOST_TEST(post.chargesFrom.iso() == "2025-12-24");
    // By e-mail: day 1 Sat 6 Dec, day 14 Fri 19 Dec, charges from Sat 20 Dec.
    const auto mail = BelgianConsumerRules::firstReminderTerm(d("2025-12-05"), Medium::Electronic);
    BOOST_TEST(mail.firstDay.iso() == "2025-12-06");
    BOOST_TEST(mail.lastDay.iso() == "2025-12-19");
    BOOST_TEST(mail.chargesFrom.iso() == "2025-12-20");
}

BOOST_AUTO_TEST_CASE(belgian_terms_are_never_shorter_than_fourteen_days) {
    for (int i = 0; i < 800; ++i) {
        const CivilDate sent = d("2025-01-01").plusDays(i);
        for (Medium m : {Medium::Post, Medium::Electronic}) {
            const auto t = BelgianConsumerRules::firstReminderTerm(sent, m);
            BOOST_TEST_REQUIRE(daysBetween(t.firstDay, t.lastDay) == 13);
            BOOST_TEST_REQUIRE(daysBetween(sent, t.chargesFrom) >= 15);
            if (m == Medium::Post) BOOST_TEST_REQUIRE(isWorkingDay(Country::BE, t.firstDay));
        }
    }
}

BOOST_AUTO_TEST_CASE(recurring_supply_allows_three_free_reminders_then_seven_fifty) {
    BOOST_TEST(BelgianConsumerRules::reminderFeeCap(false, 0, true).amount.minor() == 0);
    BOOST_TEST(BelgianConsumerRules::reminderFeeCap(true, 2, false).amount.minor() == 0);
    BOOST_TEST(BelgianConsumerRules::reminderFeeCap(true, 3, false).amount.minor() == 750);
}

BOOST_AUTO_TEST_CASE(belgian_business_rules) {
    BOOST_TEST(BelgianBusinessRules::fixedCompensation().amount.toDecimal() == "40.00");
    BOOST_TEST(BelgianBusinessRules::effectivePaymentTermDays(60) == 60);
    BOOST_TEST(BelgianBusinessRules::effectivePaymentTermDays(90) == 30);  // above 60: void, default 30
    BOOST_TEST(BelgianBusinessRules::interestStart(d("2025-06-30")).iso() == "2025-07-01");
}

BOOST_AUTO_TEST_CASE(dutch_bik_follows_the_worked_examples) {
    struct Row { const char* principal; const char* bik; };
    const Row rows[] = {
        {"267.00", "40.05"},       // 15% × 267 = 40.05 (just above the €40 minimum)
        {"100.00", "40.00"},       // 15% × 100 = 15 -> minimum 40
        {"1000.00", "150.00"},     // 15% × 1,000
        {"2500.00", "375.00"},     // 15% × 2,500
        {"5000.00", "625.00"},     // 375 + 10% × 2,500
        {"10000.00", "875.00"},    // 625 + 5% × 5,000
        {"200000.00", "2775.00"},  // 875 + 1% × 190,000
        {"1000000.00", "6775.00"}, // 2,775 + 0.5% × 800,000 = 6,775 (the maximum exactly)
        {"5000000.00", "6775.00"}, // capped
    };
    for (const auto& r : rows) {
        auto bik = DutchRules::bik(eur(r.principal));
        BOOST_TEST_REQUIRE(bik.ok());
        BOOST_TEST(bik->scale.toDecimal() == r.bik, r.principal);
        BOOST_TEST(bik->total.toDecimal() == r.bik, r.principal);
    }
    // With 21 % VAT: 150 + 31.50 = 181.50.
    auto withVat = DutchRules::bik(eur("1000.00"), 21);
    BOOST_TEST(withVat->vat.toDecimal() == "31.50");
    BOOST_TEST(withVat->total.toDecimal() == "181.50");
}

BOOST_AUTO_TEST_CASE(dutch_bik_stays_between_minimum_and_maximum_and_never_falls) {
    std::int64_t previous = 0;
    for (std::int64_t cents = 0; cents <= 150000000; cents += 9973) {
        const auto bik = DutchRules::bik(Money::eur(cents))->scale.minor();
        BOOST_TEST_REQUIRE(bik >= 4000);
        BOOST_TEST_REQUIRE(bik <= 677500);
        BOOST_TEST_REQUIRE(bik >= previous);
        previous = bik;
    }
}

BOOST_AUTO_TEST_CASE(dutch_fourteen_day_term_runs_from_the_day_after_receipt) {
    // Received Mon 1 Dec 2025: days 1..14 = Tue 2 Dec .. Mon 15 Dec; charges from Tue 16 Dec.
    const auto t = DutchRules::fourteenDayTerm(d("2025-12-01"));
    BOOST_TEST(t.firstDay.iso() == "2025-12-02");
    BOOST_TEST(t.lastDay.iso() == "2025-12-15");
    BOOST_TEST(t.chargesFrom.iso() == "2025-12-16");
    // Received Fri 12 Dec 2025: day 14 = Fri 26 Dec (2nd Christmas day) -> extended to Mon 29 Dec.
    const auto x = DutchRules::fourteenDayTerm(d("2025-12-12"));
    BOOST_TEST(x.lastDay.iso() == "2025-12-29");
    BOOST_TEST(x.chargesFrom.iso() == "2025-12-30");
}

BOOST_AUTO_TEST_SUITE_END()
