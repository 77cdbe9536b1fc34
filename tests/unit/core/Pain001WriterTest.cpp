// The pain.001.001.09 writer: exact elements, the SEPA character set, input errors, and the
// official XSD (xmllint, skipped when the schema or xmllint is absent).
#include "gateway/core/sepa/Pain001Writer.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace duegate::core::sepa;
using duegate::parsers::CivilDate;

namespace {

Pain001 threePayouts() {
    Pain001 f;
    f.messageId = "PAYOUT-2026-48";
    f.creationDateTime = "2026-11-29T10:00:00";
    f.initiatingPartyName = "Incasso Agentschap NV";
    f.paymentInfoId = "PAYOUT-2026-48-1";
    f.requestedExecutionDate = *CivilDate::fromYmd(2026, 12, 1);
    f.debtorName = "Incasso Agentschap NV";
    f.debtorIban = "BE68 5390 0754 7034";
    f.debtorBic = "GKCCBEBB";
    f.transfers = {
        {"PAYOUT-2026-48-17", 123456, "Bakkerij Pééters & Zonen", "BE71096123456769", "GEBABEBB", "Uitbetaling week 48"},
        {"PAYOUT-2026-48-18", 5, "Café <Müller>", "NL91ABNA0417164300", "", "Uitbetaling week 48 dossiers 1, 2"},
        {"PAYOUT-2026-48-19", 100000, "Łódź Œuvre ß", "DE89370400440532013000", "COBADEFFXXX", ""},
    };
    return f;
}

bool contains(const std::string& xml, const std::string& part) { return xml.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(pain001)

BOOST_AUTO_TEST_CASE(three_payouts_give_the_exact_header_batch_and_transactions) {
    auto r = writePain001(threePayouts());
    BOOST_REQUIRE(r.ok());
    const std::string& x = *r;
    BOOST_TEST(contains(x, "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">"));
    BOOST_TEST(contains(x, "<MsgId>PAYOUT-2026-48</MsgId>"));
    BOOST_TEST(contains(x, "<CreDtTm>2026-11-29T10:00:00</CreDtTm>"));
    // NbOfTxs and CtrlSum in the group header and in the batch.
    std::size_t first = x.find("<NbOfTxs>3</NbOfTxs>");
    BOOST_TEST(first != std::string::npos);
    BOOST_TEST(x.find("<NbOfTxs>3</NbOfTxs>", first + 1) != std::string::npos);
    BOOST_TEST(contains(x, "<CtrlSum>2234.61</CtrlSum>"));
    BOOST_TEST(contains(x, "<PmtMtd>TRF</PmtMtd>"));
    BOOST_TEST(contains(x, "<ReqdExctnDt>\n      <Dt>2026-12-01</Dt>"));
    BOOST_TEST(contains(x, "<IBAN>BE68539007547034</IBAN>"));
    BOOST_TEST(contains(x, "<BICFI>GKCCBEBB</BICFI>"));
    BOOST_TEST(contains(x, "<EndToEndId>PAYOUT-2026-48-17</EndToEndId>"));
    BOOST_TEST(contains(x, "<InstdAmt Ccy=\"EUR\">1234.56</InstdAmt>"));
    BOOST_TEST(contains(x, "<InstdAmt Ccy=\"EUR\">0.05</InstdAmt>"));
    BOOST_TEST(contains(x, "<InstdAmt Ccy=\"EUR\">1000.00</InstdAmt>"));
    // Names reduced to the SEPA set: transliterated, '&' as '+', other signs as '.'.
    BOOST_TEST(contains(x, "<Nm>Bakkerij Peeters + Zonen</Nm>"));
    BOOST_TEST(contains(x, "<Nm>Cafe .Muller.</Nm>"));
    BOOST_TEST(contains(x, "<Nm>Lodz OEuvre ss</Nm>"));
    BOOST_TEST(contains(x, "<Ustrd>Uitbetaling week 48 dossiers 1, 2</Ustrd>"));
    // No BIC: no CdtrAgt for that transfer; no remittance: no RmtInf.
    std::size_t second = x.find("PAYOUT-2026-48-18"), third = x.find("PAYOUT-2026-48-19");
    BOOST_TEST(x.substr(second, third - second).find("CdtrAgt") == std::string::npos);
    BOOST_TEST(x.substr(third).find("RmtInf") == std::string::npos);
    BOOST_TEST(x.find('&') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_file_validates_against_the_official_schema) {
    // The corpus sits next to the checkout (DUEGATE_CORPUS_DIR); a worktree elsewhere can point at it
    // with the environment variable of the same name.
    const char* env = std::getenv("DUEGATE_CORPUS_DIR");
    const std::filesystem::path xsd =
        std::filesystem::path(env && *env ? env : DUEGATE_CORPUS_DIR) / "sepa" / "pain.001.001.09.xsd";
    if (!std::filesystem::exists(xsd) || std::system("command -v xmllint >/dev/null 2>&1") != 0) {
        BOOST_TEST_MESSAGE("skipped: no xsd at " << xsd << " or no xmllint");
        return;
    }
    auto r = writePain001(threePayouts());
    BOOST_REQUIRE(r.ok());
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("duegate-pain001-" + std::to_string(::getpid()) + ".xml");
    std::ofstream(file, std::ios::binary) << *r;
    std::string cmd = "xmllint --noout --schema '" + xsd.string() + "' '" + file.string() + "' 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p);
    std::string out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    int rc = ::pclose(p);
    std::filesystem::remove(file);
    BOOST_TEST(rc == 0, "xmllint: " << out);
    BOOST_TEST(contains(out, "validates"));
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_field) {
    Pain001 f = threePayouts();
    f.transfers[1].creditorIban = "BE00 0000 0000 0000";
    auto r = writePain001(f);
    BOOST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "transfer 2 / CdtrAcct/IBAN");
    f = threePayouts();
    f.transfers[0].amountMinor = 0;
    BOOST_TEST(writePain001(f).error().field == "transfer 1 / InstdAmt");
    f = threePayouts();
    f.transfers[2].endToEndId = f.transfers[0].endToEndId;
    BOOST_TEST(writePain001(f).error().message == "used twice in the file");
    f = threePayouts();
    f.transfers[0].creditorBic = "NOTABIC";
    BOOST_TEST(writePain001(f).error().field == "transfer 1 / CdtrAgt/BICFI");
    f = threePayouts();
    f.messageId = "a//b";
    BOOST_TEST(writePain001(f).error().field == "MsgId");
    f = threePayouts();
    f.creationDateTime = "2026-11-29 10:00";
    BOOST_TEST(writePain001(f).error().field == "CreDtTm");
    f = threePayouts();
    f.currency = "USD";
    BOOST_TEST(!writePain001(f).ok());
    f = threePayouts();
    f.transfers.clear();
    BOOST_TEST(writePain001(f).error().field == "transfers");
}

BOOST_AUTO_TEST_CASE(text_is_reduced_to_the_sepa_set_and_cut) {
    BOOST_TEST(toSepaText("Straße 5 – Zürich", 70) == "Strasse 5 . Zurich");
    BOOST_TEST(toSepaText("  a\tb\n c  ", 70) == "a b c");
    BOOST_TEST(toSepaText("x@y_z\"", 70) == "x.y-z.");
    BOOST_TEST(toSepaText(std::string(200, 'a'), 140).size() == 140u);
    BOOST_TEST(toSepaText("ab cd", 3) == "ab");
    BOOST_TEST(sepaAmount(0) == "0.00");
    BOOST_TEST(sepaAmount(123456) == "1234.56");
}

BOOST_AUTO_TEST_SUITE_END()
