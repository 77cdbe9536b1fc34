// The legal imputation of a payment (gateway/core/PaymentAllocation.h), with worked examples.
#include "gateway/core/BelgianBusinessRules.h"
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/DutchRules.h"
#include "gateway/core/PaymentAllocation.h"

#include <boost/test/unit_test.hpp>

#include <random>

using namespace duegate::core;

BOOST_AUTO_TEST_SUITE(payment_allocation)

// NL consumer, EUR 1,000.00 principal, BIK claimed after the 14-day letter (15 % = EUR 150.00),
// EUR 12.34 statutory interest due. art. 6:44 BW: costs, then interest, then principal.
BOOST_AUTO_TEST_CASE(netherlands_costs_then_interest_then_principal) {
    const auto bik = DutchRules::bik(Money::eur(100000));
    BOOST_TEST_REQUIRE(bik.ok());
    BOOST_TEST(bik->scale.minor() == 15000);
    const Owed owed{15000, 1234, 100000};
    // A first payment of EUR 100.00 only reduces the costs: the principal stays whole.
    auto a = allocatePayment(Country::NL, owed, 10000);
    BOOST_TEST(a.costs == 10000);
    BOOST_TEST(a.interest == 0);
    BOOST_TEST(a.principal == 0);
    BOOST_TEST(a.surplus == 0);
    // EUR 500.00: 150.00 costs, 12.34 interest, 337.66 principal.
    a = allocatePayment(Country::NL, owed, 50000);
    BOOST_TEST(a.costs == 15000);
    BOOST_TEST(a.interest == 1234);
    BOOST_TEST(a.principal == 33766);
    BOOST_TEST(a.applied() == 50000);
    // Partial payments in sequence: the second one sees what the first left owed.
    const Owed after{owed.costs - a.costs, owed.interest - a.interest, owed.principal - a.principal};
    const auto b = allocatePayment(Country::NL, after, 70000);
    BOOST_TEST(b.costs == 0);
    BOOST_TEST(b.interest == 0);
    BOOST_TEST(b.principal == 66234);
    BOOST_TEST(b.surplus == 3766);  // overpaid: kept as the debtor's credit
    BOOST_TEST(allocationBasis(Country::NL) == "art. 6:44 BW");
}

// BE B2B: EUR 2,000.00 principal, the EUR 40 fixed compensation (Law of 2 August 2002) and
// EUR 25.50 late-payment interest. Interest before principal (art. 5.215 BW, old 1254), costs first.
BOOST_AUTO_TEST_CASE(belgium_interest_before_principal_costs_first) {
    const auto comp = BelgianBusinessRules::fixedCompensation();
    BOOST_TEST(comp.amount.minor() == 4000);
    const Owed owed{comp.amount.minor(), 2550, 200000};
    auto a = allocatePayment(Country::BE, owed, 5000);  // EUR 50.00: 40.00 costs, 10.00 interest
    BOOST_TEST(a.costs == 4000);
    BOOST_TEST(a.interest == 1000);
    BOOST_TEST(a.principal == 0);
    a = allocatePayment(Country::BE, owed, 206550);  // exactly everything
    BOOST_TEST(a.costs == 4000);
    BOOST_TEST(a.interest == 2550);
    BOOST_TEST(a.principal == 200000);
    BOOST_TEST(a.surplus == 0);
}

// BE consumer: the Book XIX damages on a EUR 400.00 balance, no interest claimed; the debtor pays
// only the principal: the damages are paid first and part of the principal stays open.
BOOST_AUTO_TEST_CASE(belgium_consumer_paying_the_principal_only_leaves_principal_open) {
    const auto cap = BelgianConsumerRules::damagesCap(Money::eur(40000));
    BOOST_TEST_REQUIRE(cap.ok());
    const std::int64_t damages = cap->amount.minor();
    BOOST_TEST(damages > 0);
    const auto a = allocatePayment(Country::BE, Owed{damages, 0, 40000}, 40000);
    BOOST_TEST(a.costs == damages);
    BOOST_TEST(a.principal == 40000 - damages);
    BOOST_TEST(a.surplus == 0);
}

BOOST_AUTO_TEST_CASE(nothing_owed_or_nothing_paid) {
    auto a = allocatePayment(Country::NL, Owed{}, 1234);
    BOOST_TEST(a.applied() == 0);
    BOOST_TEST(a.surplus == 1234);
    a = allocatePayment(Country::BE, Owed{100, 100, 100}, 0);
    BOOST_TEST(a.applied() == 0);
    BOOST_TEST(a.surplus == 0);
    a = allocatePayment(Country::BE, Owed{100, 100, 100}, -50);  // a debit imputes nothing
    BOOST_TEST(a.applied() == 0);
    BOOST_TEST(a.surplus == 0);
    a = allocatePayment(Country::NL, Owed{-5, 100, 100}, 150);  // negative owed counts as nothing
    BOOST_TEST(a.costs == 0);
    BOOST_TEST(a.interest == 100);
    BOOST_TEST(a.principal == 50);
}

BOOST_AUTO_TEST_CASE(parts_never_exceed_what_is_owed_and_add_up) {
    std::mt19937_64 rng(9);
    std::uniform_int_distribution<std::int64_t> amt(0, 500000);
    for (int i = 0; i < 20000; ++i) {
        const Owed o{amt(rng) / 10, amt(rng) / 50, amt(rng)};
        const auto p = amt(rng);
        for (auto c : {Country::BE, Country::NL}) {
            const auto a = allocatePayment(c, o, p);
            BOOST_TEST_REQUIRE(a.costs <= o.costs);
            BOOST_TEST_REQUIRE(a.interest <= o.interest);
            BOOST_TEST_REQUIRE(a.principal <= o.principal);
            BOOST_TEST_REQUIRE(a.applied() + a.surplus == p);
            BOOST_TEST_REQUIRE(a.costs >= 0);
            BOOST_TEST_REQUIRE(a.surplus >= 0);
            // Nothing reaches the principal while costs or interest are left.
            if (a.principal > 0) BOOST_TEST_REQUIRE((a.costs == o.costs && a.interest == o.interest));
            if (a.interest > 0) BOOST_TEST_REQUIRE(a.costs == o.costs);
        }
    }
}

BOOST_AUTO_TEST_CASE(what_the_agency_keeps) {
    BOOST_TEST((parseKeepMode("none") == KeepMode::None));
    BOOST_TEST((parseKeepMode("costs") == KeepMode::Costs));
    BOOST_TEST((parseKeepMode("costs_and_interest") == KeepMode::CostsAndInterest));
    BOOST_TEST(!parseKeepMode("all").has_value());
    BOOST_TEST(keepModeName(KeepMode::CostsAndInterest) == "costs_and_interest");
    BOOST_TEST(keptPart(KeepMode::None, 150, 12) == 0);
    BOOST_TEST(keptPart(KeepMode::Costs, 150, 12) == 150);
    BOOST_TEST(keptPart(KeepMode::CostsAndInterest, 150, 12) == 162);
    BOOST_TEST(keptPart(KeepMode::CostsAndInterest, -150, -12) == -162);  // a clawback
}

BOOST_AUTO_TEST_SUITE_END()
