// The proposal step of a PDF invoice on sample text (issue 14 item 3: PDF -> dossier): the fields
// a case manager is shown beside the PDF, each never confirmed, with the line it came from.
#include "parsers/invoice/PdfInvoice.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers::invoice;

namespace {

PdfInvoice fromText(const std::string& text) {
    PdfInvoice p;
    p.pages = 1;
    p.text = text;
    proposeInvoiceFields(p);
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pdf_proposal_text)

BOOST_AUTO_TEST_CASE(an_english_invoice_proposes_every_field_with_its_source_line) {
    const auto p = fromText(
        "Acme Tools BV\nINVOICE\nInvoice number: INV-2024-0042\nInvoice date: 2024-05-01\nDue date: 2024-05-31\n\n"
        "Bill to:\nDora Debtor Ltd\ndora@debtor.example\n\nTotal due: EUR 1,234.50\n\n"
        "Please pay to IBAN BE68 5390 0754 7034 with reference +++090/9337/55493+++\n");
    BOOST_TEST_REQUIRE(p.invoiceNumber.has_value());
    BOOST_TEST(p.invoiceNumber->value == "INV-2024-0042");
    BOOST_TEST(p.invoiceNumber->source == "Invoice number: INV-2024-0042");
    BOOST_TEST(!p.invoiceNumber->confirmed);
    BOOST_TEST_REQUIRE(p.issueDate.has_value());
    BOOST_TEST(p.issueDate->value == "2024-05-01");
    BOOST_TEST_REQUIRE(p.dueDate.has_value());
    BOOST_TEST(p.dueDate->value == "2024-05-31");
    BOOST_TEST_REQUIRE(p.amount.has_value());
    BOOST_TEST(p.amount->value == "1234.50");
    BOOST_TEST(p.amountMinor.value_or(0) == 123450);
    BOOST_TEST_REQUIRE(p.currency.has_value());
    BOOST_TEST(p.currency->value == "EUR");
    BOOST_TEST_REQUIRE(p.iban.has_value());
    BOOST_TEST(p.iban->value == "BE68539007547034");
    BOOST_TEST_REQUIRE(p.ogm.has_value());
    BOOST_TEST(p.ogm->value == "090933755493");
    BOOST_TEST_REQUIRE(p.debtorEmail.has_value());
    BOOST_TEST(p.debtorEmail->value == "dora@debtor.example");
    BOOST_TEST_REQUIRE(p.debtorName.has_value());
    BOOST_TEST(p.debtorName->value == "Dora Debtor Ltd");
}

BOOST_AUTO_TEST_CASE(a_french_invoice_with_an_rf_reference_and_comma_decimals) {
    const auto p = fromText(
        "FACTURE\nNuméro de facture : F-77\nDate de facture : 03/04/2024\nÉchéance : 03/05/2024\n"
        "Facturé à :\nBoulangerie Dupont SPRL\n\nMontant à payer : 2.500,00 EUR\n"
        "IBAN BE68 5390 0754 7034 - Référence RF18 5390 0754 7034\n");
    BOOST_TEST_REQUIRE(p.invoiceNumber.has_value());
    BOOST_TEST(p.invoiceNumber->value == "F-77");
    BOOST_TEST_REQUIRE(p.issueDate.has_value());
    BOOST_TEST(p.issueDate->value == "2024-04-03");
    BOOST_TEST_REQUIRE(p.dueDate.has_value());
    BOOST_TEST(p.dueDate->value == "2024-05-03");
    BOOST_TEST(p.amountMinor.value_or(0) == 250000);
    BOOST_TEST_REQUIRE(p.rf.has_value());
    BOOST_TEST(p.rf->value == "RF18539007547034");
    BOOST_TEST(!p.ogm.has_value());
}

BOOST_AUTO_TEST_CASE(wrong_check_digits_and_unlabelled_text_propose_nothing) {
    const auto p = fromText("Thank you for your order.\nIBAN BE00 5390 0754 7035\n+++090/9337/55494+++\n");
    BOOST_TEST(!p.invoiceNumber.has_value());
    BOOST_TEST(!p.amount.has_value());
    BOOST_TEST(!p.iban.has_value());
    BOOST_TEST(!p.ogm.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
