// Every Peppol/UBL sample in ../shared/corpus/ubl parses with consistent totals; skipped when the
// corpus folder is absent.
#include "parsers/invoice/UblInvoice.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace duegate::parsers::invoice;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
const fs::path kCorpus = fs::path(DUEGATE_CORPUS_DIR) / "ubl";
}  // namespace

BOOST_AUTO_TEST_SUITE(ubl_corpus)

BOOST_AUTO_TEST_CASE(every_corpus_invoice_parses_with_consistent_totals) {
    if (!fs::is_directory(kCorpus)) {
        BOOST_TEST_MESSAGE("corpus absent (skipped)");
        return;
    }
    int files = 0;
    for (const auto& e : fs::directory_iterator(kCorpus)) {
        auto r = parseUbl(slurp(e.path()));
        BOOST_TEST_REQUIRE(r.ok(), e.path().filename() << ": " << (r.ok() ? "" : r.error().toString()));
        ++files;
        const UblInvoice& inv = *r;
        BOOST_TEST(!inv.number.empty());
        BOOST_TEST(inv.taxInclusiveMinor == inv.taxExclusiveMinor + inv.taxMinor, e.path().filename());
        BOOST_TEST(inv.payableMinor == inv.taxInclusiveMinor - inv.prepaidMinor + inv.roundingMinor, e.path().filename());
        BOOST_TEST(inv.taxExclusiveMinor == inv.lineExtensionMinor - inv.allowanceMinor + inv.chargeMinor, e.path().filename());
        BOOST_TEST(inv.warnings.empty(), e.path().filename());
    }
    BOOST_TEST(files >= 11);
}

BOOST_AUTO_TEST_CASE(corpus_samples_yield_the_fields_a_reminder_needs) {
    if (!fs::is_directory(kCorpus)) return;
    auto beg = parseUbl(slurp(kCorpus / "odoo_beg_testcase02_consumer_empties.xml"));
    BOOST_TEST_REQUIRE(beg.ok());
    BOOST_TEST(beg->number == "2019000002");
    BOOST_TEST(beg->payableMinor == 1660);
    BOOST_TEST(beg->seller.vatId == "BE0123456749");
    BOOST_TEST(beg->payment.iban == "BE54000000000097");
    BOOST_TEST(beg->dueDate->iso() == "2018-08-25");

    auto neg = parseUbl(slurp(kCorpus / "peppol_negative_invoice_correction.xml"));
    BOOST_TEST_REQUIRE(neg.ok());
    BOOST_TEST(neg->payableMinor == -165625);
    BOOST_TEST(neg->signedPayableMinor() == -165625);

    auto cn = parseUbl(slurp(kCorpus / "peppol_snippet_creditnote.xml"));
    BOOST_TEST_REQUIRE(cn.ok());
    BOOST_TEST(cn->documentType == "CreditNote");
    BOOST_TEST(cn->typeCode == "381");
    BOOST_TEST(cn->payableMinor == 165625);
    BOOST_TEST(cn->signedPayableMinor() == -165625);

    auto emb = parseUbl(slurp(kCorpus / "peppol_snippet_embedded_attachment.xml"));
    BOOST_TEST_REQUIRE(emb.ok());
    BOOST_TEST_REQUIRE(emb->attachments.size() == 1u);
    BOOST_TEST(emb->attachments[0].filename == "milage.csv");
    BOOST_TEST(emb->attachments[0].bytes.size() == 13u);

    auto dd = parseUbl(slurp(kCorpus / "peppol_snippet_sepa_direct_debit.xml"));
    BOOST_TEST_REQUIRE(dd.ok());
    BOOST_TEST(dd->payment.code == "59");
    BOOST_TEST(!dd->payment.mandateId.empty());

    auto so = parseUbl(slurp(kCorpus / "peppol_sales_order_ref.xml"));
    BOOST_TEST_REQUIRE(so.ok());
    BOOST_TEST(!so->salesOrderReference.empty());
}

BOOST_AUTO_TEST_SUITE_END()
