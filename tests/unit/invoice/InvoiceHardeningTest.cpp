// Bounds and hostile input for the invoice parsers: DOCTYPE/entities refused, limits with their
// limit+1 case, sniffers that leave CAMT and bank ZIPs alone, bad PDFs as located errors.
#include "parsers/invoice/BulkTemplate.h"
#include "parsers/invoice/PdfInvoice.h"
#include "parsers/invoice/Sniff.h"
#include "parsers/invoice/UblInvoice.h"
#include "parsers/invoice/XlsxReader.h"
#include "parsers/invoice/XmlTree.h"

#include <Poco/Zip/Compress.h>

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
const fs::path kFixtures = fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "invoice";
const std::string kHeader =
    "creditor_reference,debtor_name,debtor_email,language,invoice_number,issue_date,amount,currency\n";
}  // namespace

BOOST_AUTO_TEST_SUITE(invoice_hardening)

BOOST_AUTO_TEST_CASE(a_doctype_is_refused_before_any_entity_is_read) {
    const std::string xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><ID>&x;</ID></Invoice>";
    auto r = parseUbl(xxe);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message.find("DOCTYPE") != std::string::npos);
    BOOST_TEST(r.error().offset == 22u);
}

BOOST_AUTO_TEST_CASE(an_undeclared_entity_is_a_located_xml_error) {
    auto r = parseUbl("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n<ID>&x;</ID></Invoice>");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().line == 2u);
}

namespace {
// <a><a>...</a></a>, `depth` elements open at the deepest point, one per line.
std::string nested(const std::string& open, const std::string& close, std::size_t depth, const std::string& inner = "x") {
    std::string s;
    for (std::size_t i = 0; i < depth; ++i) s += open + "\n";
    s += inner;
    for (std::size_t i = 0; i < depth; ++i) s += close;
    return s;
}
}  // namespace

// The element tree is built, walked and freed recursively: nesting is bounded, a located error
// beyond the bound (the line of the first element too deep), never a stack overflow.
BOOST_AUTO_TEST_CASE(xml_depth_limit_and_one_past_it) {
    XmlLimits l;
    l.maxDepth = 8;
    BOOST_TEST(parseXmlTree(nested("<a>", "</a>", 8), l).ok());
    const auto r = parseXmlTree(nested("<a>", "</a>", 9), l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "xml");
    BOOST_TEST(r.error().line == 9u);
    BOOST_TEST(r.error().message == "elements nested deeper than 8");
    // The default bound, far past it.
    const auto deep = parseXmlTree(nested("<a>", "</a>", 100000));
    BOOST_TEST_REQUIRE(!deep.ok());
    BOOST_TEST(deep.error().line == 65u);
}

BOOST_AUTO_TEST_CASE(ubl_depth_limit_and_one_past_it) {
    const std::string ubl = slurp(kFixtures / "ubl_be_invoice.xml");
    BOOST_TEST_REQUIRE(parseUbl(ubl).ok());
    // Deep nesting inside an extension (where signatures live): the root is depth 1, the
    // extension wrapper 2, so 62 more elements reach the default bound of 64 exactly.
    const auto at = ubl.find("<cbc:CustomizationID");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    auto withDepth = [&](std::size_t n) {
        std::string doc = ubl;
        doc.insert(at, "<x:E xmlns:x=\"urn:example:ext\">" + nested("<x:E>", "</x:E>", n - 2, "") + "</x:E>\n");
        return doc;
    };
    BOOST_TEST(parseUbl(withDepth(64)).ok());
    const auto r = parseUbl(withDepth(65));
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "xml");
    BOOST_TEST(r.error().message == "elements nested deeper than 64");
    BOOST_TEST(r.error().line > 1u);
    UblLimits l;
    l.maxXmlDepth = 65;
    BOOST_TEST(parseUbl(withDepth(65), l).ok());
}

BOOST_AUTO_TEST_CASE(xlsx_depth_limit_and_one_past_it) {
    auto workbook = [](const std::string& sheet) {
        std::ostringstream out;
        Poco::Zip::Compress zip(out, true);
        auto add = [&](const std::string& name, const std::string& text) {
            std::istringstream in(text);
            zip.addFile(in, Poco::DateTime(2026, 1, 5), Poco::Path(name, Poco::Path::PATH_UNIX));
        };
        add("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
        add("xl/workbook.xml",
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheets><sheet name=\"S\" sheetId=\"1\"/></sheets></workbook>");
        add("xl/worksheets/sheet1.xml", sheet);
        zip.close();
        return out.str();
    };
    // worksheet (1) / sheetData (2) / row (3) / c (4) / is (5) / t (6), then empty wrappers.
    auto sheet = [](std::size_t depth) {
        return "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\">"
               "<c r=\"A1\" t=\"inlineStr\"><is><t>v</t></is></c></row></sheetData>" +
               nested("<extLst>", "</extLst>", depth - 1, "") + "</worksheet>";
    };
    const auto ok = readXlsx(workbook(sheet(64)), 1u << 20, 100);
    BOOST_TEST_REQUIRE(ok.ok(), (ok.ok() ? std::string() : ok.error().toString()));
    BOOST_TEST(ok.value().rows.size() == 1u);
    const auto r = readXlsx(workbook(sheet(65)), 1u << 20, 100);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "xl/worksheets/sheet1.xml xml");
    BOOST_TEST(r.error().message == "elements nested deeper than 64");
    BOOST_TEST(r.error().line == 64u);  // extLst k (depth k + 1) is on line k
}

BOOST_AUTO_TEST_CASE(ubl_size_and_attachment_limits_and_one_past_them) {
    const std::string inv = slurp(kFixtures / "ubl_be_invoice.xml");
    UblLimits l;
    l.maxBytes = inv.size();
    BOOST_TEST(parseUbl(inv, l).ok());
    l.maxBytes = inv.size() - 1;
    BOOST_TEST(!parseUbl(inv, l).ok());
    l = {};
    l.maxAttachments = 1;
    BOOST_TEST(parseUbl(inv, l).ok());
    l.maxAttachments = 0;
    auto r = parseUbl(inv, l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().line > 0u);
}

BOOST_AUTO_TEST_CASE(an_amount_with_too_many_decimals_is_refused_with_its_line) {
    std::string inv = slurp(kFixtures / "ubl_be_invoice.xml");
    const std::string from = "<cbc:PayableAmount currencyID=\"EUR\">1234.50<";
    const auto pos = inv.find(from);
    BOOST_TEST_REQUIRE(pos != std::string::npos);
    inv.replace(pos, from.size(), "<cbc:PayableAmount currencyID=\"EUR\">1234.505<");
    auto r = parseUbl(inv);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "cbc:PayableAmount");
    BOOST_TEST(r.error().line > 1u);
}

BOOST_AUTO_TEST_CASE(the_ubl_sniffer_leaves_camt_alone) {
    BOOST_TEST(!sniffUbl("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>"));
    BOOST_TEST(sniffUbl(slurp(kFixtures / "ubl_be_creditnote.xml")));
    const fs::path camt = fs::path(DUEGATE_CORPUS_DIR) / "camt";
    if (fs::is_directory(camt))
        for (const auto& e : fs::directory_iterator(camt)) BOOST_TEST(!sniffUbl(slurp(e.path())), e.path().filename());
}

BOOST_AUTO_TEST_CASE(the_xlsx_sniffer_wants_a_workbook_not_any_zip) {
    BOOST_TEST(sniffXlsx(slurp(kFixtures / "bulk_template_sheet.xlsx")));
    BOOST_TEST(!sniffXlsx(std::string("PK\x03\x04", 4) + "statement.cod...."));
}

BOOST_AUTO_TEST_CASE(bulk_rows_limit_and_one_past_it) {
    std::string csv = kHeader;
    for (int i = 0; i < 5; ++i) csv += "K" + std::to_string(i) + ",Name,,NL,F" + std::to_string(i) + ",2026-01-01,10.00,EUR\n";
    BulkLimits l;
    l.maxRows = 5;
    auto ok = parseBulkCsv(csv, l);
    BOOST_TEST_REQUIRE(ok.ok());
    BOOST_TEST(ok->rows.size() == 5u);
    l.maxRows = 4;
    auto r = parseBulkCsv(csv, l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().line == 6u);
}

BOOST_AUTO_TEST_CASE(bulk_cell_length_limit_and_one_past_it) {
    BulkLimits l;
    l.maxCellBytes = 20;
    BOOST_TEST(parseBulkCsv(kHeader + "K,01234567890123456789,,NL,F,2026-01-01,1,EUR\n", l).ok());
    auto r = parseBulkCsv(kHeader + "K,012345678901234567890,,NL,F,2026-01-01,1,EUR\n", l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().line == 2u);
}

BOOST_AUTO_TEST_CASE(bad_rows_are_reported_and_good_rows_kept) {
    auto r = parseBulkCsv(kHeader + "K1,Good,,NL,F1,2026-01-01,1.50,EUR\nK2,Bad,,XX,F2,2026-13-01,-1,EUR\n");
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(r->rows.size() == 1u);
    BOOST_TEST(r->rows[0].amountMinor == 150);
    BOOST_TEST(r->errors.size() == 3u);
    BOOST_TEST(r->errors[0].row == 3u);
    BOOST_TEST(r->errors[0].column == "language");
}

BOOST_AUTO_TEST_CASE(an_unterminated_quote_is_a_located_csv_error) {
    auto r = parseBulkCsv(kHeader + "K1,\"Open,,NL,F1,2026-01-01,1,EUR\n");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().line == 2u);
}

BOOST_AUTO_TEST_CASE(a_zip_bomb_is_stopped_by_the_uncompressed_budget) {
    BulkLimits l;
    l.maxUncompressedBytes = 1000;  // the sample's sheet alone is larger
    auto r = parseBulkXlsx(slurp(kFixtures / "bulk_sample_sheet.xlsx"), l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().message.find("uncompressed") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(corpus_spreadsheets_are_read_and_rejected_as_not_our_template) {
    const fs::path dir = fs::path(DUEGATE_CORPUS_DIR) / "xlsx";
    if (!fs::is_directory(dir)) return;
    for (const auto& e : fs::directory_iterator(dir)) {
        auto r = parseBulkXlsx(slurp(e.path()));
        BOOST_TEST_REQUIRE(!r.ok(), e.path().filename());
        BOOST_TEST(r.error().field == "header", e.path().filename() << ": " << r.error().toString());
        BOOST_TEST(r.error().line > 0u);
    }
}

BOOST_AUTO_TEST_CASE(broken_and_oversized_pdfs_are_located_errors) {
    BOOST_TEST(!parsePdfInvoice("%PDF-1.4\ngarbage").ok());
    BOOST_TEST(!parsePdfInvoice("not a pdf").ok());
    const std::string pdf = slurp(kFixtures / "invoice_nl.pdf");
    PdfLimits l;
    l.maxBytes = pdf.size();
    BOOST_TEST(parsePdfInvoice(pdf, l).ok());
    l.maxBytes = pdf.size() - 1;
    BOOST_TEST(!parsePdfInvoice(pdf, l).ok());
    l = {};
    l.maxPages = 0;
    BOOST_TEST(!parsePdfInvoice(pdf, l).ok());
}

BOOST_AUTO_TEST_CASE(pdf_proposals_are_never_confirmed) {
    auto r = parsePdfInvoice(slurp(kFixtures / "invoice_nl.pdf"));
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST_REQUIRE(r->ogm.has_value());
    BOOST_TEST(r->ogm->value == "090933755493");
    BOOST_TEST(!r->ogm->confirmed);
    BOOST_TEST(*r->amountMinor == 123450);
}

BOOST_AUTO_TEST_SUITE_END()
