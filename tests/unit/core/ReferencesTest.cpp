#include "gateway/core/EpcQr.h"
#include "gateway/core/PaymentReference.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace duegate::core;

BOOST_AUTO_TEST_SUITE(references)

BOOST_AUTO_TEST_CASE(ogm_from_a_number_follows_the_worked_examples) {
    // 1234567890 mod 97 = 2 -> +++123/4567/89002+++
    BOOST_TEST(*ogmForNumber(1234567890) == "+++123/4567/89002+++");
    // 0000000097 mod 97 = 0 -> check 97
    BOOST_TEST(*ogmForNumber(97) == "+++000/0000/09797+++");
    // 2025000123 mod 97 = 90
    BOOST_TEST(*ogmForNumber(2025000123) == "+++202/5000/12390+++");
    BOOST_TEST(!ogmForNumber(0).ok());
    BOOST_TEST(!ogmForNumber(10000000000ULL).ok());
}

BOOST_AUTO_TEST_CASE(rf_from_a_number_follows_the_worked_examples) {
    // "DUN2025000123" + "RF00" -> remainder 3 -> 98 - 3 = 95
    BOOST_TEST(*rfForNumber("DUN", 2025000123) == "RF95DUN2025000123");
    // 2348231 -> remainder 27 -> 71 (ISO 11649 Annex B)
    BOOST_TEST(*rfForNumber("", 2348231) == "RF712348231");
    BOOST_TEST(printRf("RF95DUN2025000123") == "RF95 DUN2 0250 0012 3");
    auto refs = referencesForNumber(2025000123);
    BOOST_TEST(refs->ogmDigits == "202500012390");
}

BOOST_AUTO_TEST_CASE(distinct_numbers_give_distinct_references) {
    std::set<std::string> ogms, rfs;
    for (std::uint64_t n = 1; n <= 5000; ++n) {
        ogms.insert(*ogmForNumber(n * 7919));
        rfs.insert(*rfForNumber("DUN", n * 7919));
    }
    BOOST_TEST(ogms.size() == 5000u);
    BOOST_TEST(rfs.size() == 5000u);
}

BOOST_AUTO_TEST_CASE(epc_payload_a_with_rf_is_byte_exact) {
    EpcQrInput in;
    in.name = "Voorbeeld BV";
    in.iban = "BE68 5390 0754 7034";
    in.amount = Money::eur(12345);
    in.reference = "RF95DUN2025000123";
    auto p = buildEpcQr(in);
    BOOST_TEST_REQUIRE(p.ok(), (p.ok() ? std::string() : p.error().toString()));
    const std::string expected = "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE68539007547034\nEUR123.45\n\nRF95DUN2025000123";
    BOOST_TEST(p->payload == expected);
    BOOST_TEST(p->payload.size() == 73u);
    BOOST_TEST(p->referenceKind == "rf");
}

BOOST_AUTO_TEST_CASE(epc_payload_b_with_ogm_in_the_text_line_is_byte_exact) {
    EpcQrInput in;
    in.name = "Voorbeeld BV";
    in.iban = "BE68539007547034";
    in.amount = Money::eur(12345);
    in.reference = "202500012390";
    auto p = buildEpcQr(in);
    BOOST_TEST_REQUIRE(p.ok());
    const std::string expected =
        "BCD\n002\n1\nSCT\n\nVoorbeeld BV\nBE68539007547034\nEUR123.45\n\n\n+++202/5000/12390+++";
    BOOST_TEST(p->payload == expected);
    BOOST_TEST(p->payload.size() == 77u);
    BOOST_TEST(p->referenceKind == "ogm");
}

BOOST_AUTO_TEST_CASE(epc_payload_rejects_what_the_standard_forbids) {
    EpcQrInput base;
    base.name = "Voorbeeld BV";
    base.iban = "BE68539007547034";
    base.amount = Money::eur(12345);
    base.reference = "RF95DUN2025000123";
    BOOST_TEST(buildEpcQr(base).ok());

    auto both = base;
    both.text = "invoice 12";
    BOOST_TEST(buildEpcQr(both).error().field == "reference");
    auto neither = base;
    neither.reference.reset();
    BOOST_TEST(!buildEpcQr(neither).ok());
    auto longName = base;
    longName.name = std::string(71, 'x');
    BOOST_TEST(buildEpcQr(longName).error().field == "name");
    longName.name = std::string(70, 'x');
    BOOST_TEST(buildEpcQr(longName).ok());
    auto badIban = base;
    badIban.iban = "BE68539007547035";
    BOOST_TEST(buildEpcQr(badIban).error().field == "iban");
    auto usd = base;
    usd.amount = Money(100, "USD");
    BOOST_TEST(buildEpcQr(usd).error().field == "amount");
    auto zero = base;
    zero.amount = Money::eur(0);
    BOOST_TEST(!buildEpcQr(zero).ok());
    auto tooMuch = base;
    tooMuch.amount = Money::eur(100000000000);
    BOOST_TEST(!buildEpcQr(tooMuch).ok());
    auto bic = base;
    bic.bic = "GKCCBEBB";
    BOOST_TEST(buildEpcQr(bic)->payload.find("\nGKCCBEBB\n") != std::string::npos);
    bic.bic = "GKCCBE";
    BOOST_TEST(buildEpcQr(bic).error().field == "bic");
    auto badRef = base;
    badRef.reference = "RF00DUN2025000123";
    BOOST_TEST(buildEpcQr(badRef).error().field == "reference");
}

BOOST_AUTO_TEST_CASE(epc_payload_never_exceeds_331_bytes) {
    EpcQrInput in;
    in.name = std::string(70, 'x');
    in.iban = "BE68539007547034";
    in.bic = "GKCCBEBBXXX";
    in.amount = Money::eur(99999999999);
    in.text = std::string(140, 'y');
    in.purpose = "GDDS";
    // Every field at its own maximum: 4+4+2+4+12+71+17+16+5+1+140 = 276 bytes; a 70-byte note
    // would make 347 > 331: the field limits alone do not keep the payload small enough.
    auto p = buildEpcQr(in);
    BOOST_TEST_REQUIRE(p.ok());
    BOOST_TEST(p->payload.size() == 276u);
    in.note = std::string(55, 'z');  // 276 + LF + 55 = 332: one byte too many
    BOOST_TEST(buildEpcQr(in).error().field == "payload");
    in.note = std::string(54, 'z');  // 276 + LF + 54 = 331: the limit exactly
    BOOST_TEST(buildEpcQr(in)->payload.size() == 331u);
    // Multi-byte names count characters, but the byte limit still holds.
    in.name = "";
    for (int i = 0; i < 70; ++i) in.name += "\xC3\xA9";  // é
    std::string euros;
    for (int i = 0; i < 70; ++i) euros += "\xE2\x82\xAC";  // €
    in.note = euros;
    auto big = buildEpcQr(in);
    BOOST_TEST(!big.ok());
    BOOST_TEST(big.error().field == "payload");
}

BOOST_AUTO_TEST_SUITE_END()
