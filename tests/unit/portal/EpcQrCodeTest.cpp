#include "portal/EpcQrCode.h"

#include <boost/test/unit_test.hpp>

using namespace duegate;

namespace {

services::DebtorView view() {
    services::DebtorView v;
    v.summary.dossier.currency = "EUR";
    v.summary.dossier.openMinor = 123450;
    v.summary.dossier.reference = "DG-1";
    v.payeeName = "Acme Tools BV";
    v.payToIban = "BE68539007547034";
    v.payToBic = "GKCCBEBB";
    v.paymentReference = "+++123/4567/89002+++";
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_epc_qr)

BOOST_AUTO_TEST_CASE(the_payload_carries_payee_iban_open_amount_and_the_ogm) {
    const auto p = portal::epcPayloadFor(view());
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(*p == "BCD\n002\n1\nSCT\nGKCCBEBB\nAcme Tools BV\nBE68539007547034\nEUR1234.50\n\n\n+++123/4567/89002+++");
}

BOOST_AUTO_TEST_CASE(a_free_form_creditor_reference_becomes_remittance_text) {
    auto v = view();
    v.paymentReference = "Invoice 2024/17";
    const auto p = portal::epcPayloadFor(v);
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->find("\nInvoice 2024/17") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(there_is_no_payload_without_an_iban_outside_eur_or_with_nothing_open) {
    auto noIban = view();
    noIban.payToIban.clear();
    auto usd = view();
    usd.summary.dossier.currency = "USD";
    auto paid = view();
    paid.summary.dossier.openMinor = 0;
    BOOST_TEST(!portal::epcPayloadFor(noIban).has_value());
    BOOST_TEST(!portal::epcPayloadFor(usd).has_value());
    BOOST_TEST(!portal::epcPayloadFor(paid).has_value());
}

BOOST_AUTO_TEST_CASE(the_qr_code_is_an_svg_when_libqrencode_is_compiled_in) {
    const auto svg = portal::qrSvg(*portal::epcPayloadFor(view()));
#ifdef DUEGATE_HAVE_QRENCODE
    BOOST_REQUIRE(svg.has_value());
    BOOST_TEST(svg->rfind("<svg ", 0) == 0);
    BOOST_TEST(svg->find("<path fill=\"#000\" d=\"M4 4h7v1h-7z") != std::string::npos);  // finder pattern
#else
    BOOST_TEST(!svg.has_value());
#endif
}

BOOST_AUTO_TEST_CASE(a_remembered_payment_qr_code_is_the_one_drawn_and_a_new_amount_draws_a_new_one) {
    const auto payload = *portal::epcPayloadFor(view());
    const auto first = portal::paymentQrSvg(payload);
    BOOST_TEST((first == portal::qrSvg(payload)));
    BOOST_TEST((portal::paymentQrSvg(payload) == first));
    auto other = view();
    other.summary.dossier.openMinor += 1;
    const auto otherPayload = *portal::epcPayloadFor(other);
    BOOST_TEST(otherPayload != payload);
    BOOST_TEST((portal::paymentQrSvg(otherPayload) == portal::qrSvg(otherPayload)));
    // Other payloads: each its own code.
    for (int i = 0; i < 5000; i += 997) {
        const std::string p = payload + std::to_string(i);
        BOOST_TEST((portal::paymentQrSvg(p) == portal::qrSvg(p)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
