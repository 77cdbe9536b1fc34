// PDF letters read back with poppler-utils (pdftotext) and the QR code decoded with zbarimg.
#include "channels/letter/LetterPdf.h"
#include "channels/letter/PrintProvider.h"

#include <Poco/TemporaryFile.h>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace duegate::channels;

namespace {

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf{};
    while (auto n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    ::pclose(p);
    return out;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string kEpc =
    "BCD\n002\n1\nSCT\nGEBABEBB\nIncasso Agency\nBE71096123456769\nEUR1234.56\n\n\n+++123/4567/89002+++";

Letter sample(int paragraphs) {
    Letter l;
    l.sender = {"Incasso Agency", "Rue de la Loi 1", "1000 Bruxelles"};
    l.recipient = {"Jan Peeters", "Kerkstraat 12", "2000 Antwerpen", "BELGIE"};
    l.placeDate = "Brussel, 29-11-2026";
    l.ourReference = "Dossier D2026-000017";
    l.subject = "Herinnering factuur F-2026-17";
    for (int i = 0; i < paragraphs; ++i)
        l.body += "Beste Jan, volgens onze gegevens is de factuur F-2026-17 nog niet betaald. Wij vragen u het "
                  "openstaande bedrag binnen veertien dagen te betalen.\n\n";
    l.amounts = {{"Hoofdsom", "1.100,00 \xe2\x82\xac", ""},
                 {"Interest 12,5 %", "94,56 \xe2\x82\xac", "Art. 5 Wet 2 augustus 2002"},
                 {"Forfaitaire vergoeding", "40,00 \xe2\x82\xac", "Art. 6 Wet 2 augustus 2002"}};
    l.totalLabel = "Totaal";
    l.total = "1.234,56 \xe2\x82\xac";
    l.payment = {"Mededeling: +++123/4567/89002+++", "Begunstigde: Incasso Agency", "IBAN BE71 0961 2345 6769"};
    l.epcPayload = kEpc;
    l.pageWord = "pagina";
    return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(letter)

BOOST_AUTO_TEST_CASE(pdf_reads_back_with_name_address_amount_reference_and_qr) {
    const auto r = renderLetterPdf(sample(2));
    BOOST_TEST(r.pages == 1);
    BOOST_TEST(r.pdf.rfind("%PDF-", 0) == 0u);
    Poco::TemporaryFile dir;
    dir.createDirectories();
    const std::string pdf = dir.path() + "/l.pdf";
    std::ofstream(pdf, std::ios::binary) << r.pdf;
    const std::string text = run("pdftotext -layout " + pdf + " -");
    BOOST_TEST(text.find("Jan Peeters") != std::string::npos, text);
    BOOST_TEST(text.find("Kerkstraat 12") != std::string::npos);
    BOOST_TEST(text.find("2000 Antwerpen") != std::string::npos);
    BOOST_TEST(text.find("1.234,56 \xe2\x82\xac") != std::string::npos);
    BOOST_TEST(text.find("+++123/4567/89002+++") != std::string::npos);
    BOOST_TEST(text.find("Art. 6 Wet 2 augustus 2002") != std::string::npos);
    BOOST_TEST(text.find("pagina 1 / 1") != std::string::npos);
    run("pdftoppm -png -r 150 " + pdf + " " + dir.path() + "/page");
    std::string decoded = run("zbarimg --raw -q " + dir.path() + "/page-1.png");
    while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
    BOOST_TEST(decoded == kEpc);
}

BOOST_AUTO_TEST_CASE(long_letters_get_pages_and_numbers) {
    const auto r = renderLetterPdf(sample(30));
    BOOST_TEST(r.pages >= 2);
    Poco::TemporaryFile f;
    std::ofstream(f.path(), std::ios::binary) << r.pdf;
    const std::string text = run("pdftotext -layout " + f.path() + " -");
    BOOST_TEST(text.find("pagina 2 / " + std::to_string(r.pages)) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(print_folder_writes_pdf_and_manifest_once) {
    Poco::TemporaryFile dir;
    PrintFolder folder(dir.path());
    PrintJob job{"2026-11-29", "D2026-000017-5.pdf", "%PDF-1.5 test", 2, "D2026-000017", "Jan \"JP\" Peeters",
                 "Kerkstraat 12, 2000 Antwerpen, BE"};
    auto r = folder.submit(job);
    BOOST_TEST_REQUIRE(isDelivered(r));
    BOOST_TEST(isDelivered(folder.submit(job)));  // a resend adds no second line
    const std::string manifest = slurp(dir.path() + "/2026-11-29/manifest.csv");
    BOOST_TEST(manifest ==
               "file,dossier,recipient,address,pages,sha256\r\n"
               "D2026-000017-5.pdf,D2026-000017,\"Jan \"\"JP\"\" Peeters\",\"Kerkstraat 12, 2000 Antwerpen, BE\",2," +
                   std::string("") + run("printf '%s' '%PDF-1.5 test' | sha256sum | cut -c1-64 | tr -d '\\n'") +
                   "\r\n");
    BOOST_TEST(slurp(dir.path() + "/2026-11-29/D2026-000017-5.pdf") == "%PDF-1.5 test");
    job.fileName = "../escape.pdf";
    BOOST_TEST(isFailed(folder.submit(job)));
}

BOOST_AUTO_TEST_SUITE_END()
