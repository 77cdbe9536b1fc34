// Every third-party sample in ../shared/corpus/mime parses (or is rejected with a located error),
// and the samples whose structure we know yield the right attachments and reports.
// Skips cleanly when the corpus folder is absent.
#include "parsers/mime/MimeMessage.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace duegate::parsers::mime;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

const fs::path kCorpus = fs::path(DUEGATE_CORPUS_DIR) / "mime";

std::vector<std::string> names(const MimeMessage& m) {
    std::vector<std::string> out;
    for (const auto& a : m.attachments) out.push_back(a.path + " " + a.filename);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mime_corpus)

BOOST_AUTO_TEST_CASE(every_corpus_mail_parses_or_is_rejected_with_a_located_error) {
    if (!fs::is_directory(kCorpus)) {
        BOOST_TEST_MESSAGE("corpus absent: " << kCorpus << " (skipped)");
        return;
    }
    int files = 0;
    for (const auto& e : fs::directory_iterator(kCorpus)) {
        const std::string raw = slurp(e.path());
        auto r = parseMime(raw);
        ++files;
        if (!r) {
            BOOST_TEST((r.error().offset != duegate::parsers::Error::npos || r.error().line > 0), e.path().filename());
            continue;
        }
        for (const auto& a : r->attachments) {
            BOOST_TEST(a.size == a.bytes.size());
            BOOST_TEST(a.sha256Hex.size() == 64u);
            BOOST_TEST(!a.path.empty());
        }
    }
    BOOST_TEST(files >= 15);
}

BOOST_AUTO_TEST_CASE(corpus_attachments_are_named_and_counted_right) {
    if (!fs::is_directory(kCorpus)) return;
    const std::map<std::string, std::vector<std::string>> expected = {
        {"zb_netscape_x_uuencode.eml", {"2 redball.png", "3 greenball.png", "4 blueball.png"}},
        {"zb_outlook_mixed_related_alternative_3png.eml", {"1.2 blueball.png", "2 greenball.png", "3 redball.png"}},
        {"zb_pgp_signed_with_attachments.eml", {"1.2 blueball.png", "1.3 greenball.png", "1.4 redball.png", "2 "}},
        {"zb_rfc2047_utf8_long_filename_msword.eml", {"2 Biodiversite de semaine en semaine.doc"}},
        {"zb_netscape_rfc2047_filename.eml", {"2 HasenundFr\xC3\xB6sche.txt"}},
        {"zb_eudora_binhex_8bit_filename.eml", {"2 blueball.png", "3 HasenundFr\xC3\xB6sche.txt"}},
        {"zb_netscape_windows_path_filenames.eml",
         {"1.2.2 C:\\TEMP\\nsmailEG.png", "1.2.3 C:\\TEMP\\nsmail39.png", "2 redball.png", "3 greenball.png"}},
        {"pm_calendar_invite_ics.eml", {"1.3 ", "2 invite.ics"}},
        {"zb_invalid_charset.eml", {}},
        {"zb_outlook_utf7_qp.eml", {}},
    };
    for (const auto& [file, want] : expected) {
        auto r = parseMime(slurp(kCorpus / file));
        BOOST_TEST_REQUIRE(r.ok(), file);
        BOOST_TEST(names(*r) == want, file);
    }
}

BOOST_AUTO_TEST_CASE(corpus_bodies_and_headers_are_decoded) {
    if (!fs::is_directory(kCorpus)) return;
    auto utf7 = parseMime(slurp(kCorpus / "zb_outlook_utf7_qp.eml"));
    BOOST_TEST_REQUIRE(utf7.ok());
    BOOST_TEST(utf7->textBody.find("Fr\xC3\xB6sche") != std::string::npos);  // UTF-7 inside quoted-printable
    auto bad = parseMime(slurp(kCorpus / "zb_invalid_charset.eml"));
    BOOST_TEST_REQUIRE(bad.ok());
    BOOST_TEST(!bad->textBody.empty());
    BOOST_TEST(bad->warnings.size() == 1u);  // kept and flagged, not dropped
    auto cal = parseMime(slurp(kCorpus / "pm_calendar_invite_ics.eml"));
    BOOST_TEST_REQUIRE(cal.ok());
    BOOST_TEST(cal->subject.find("\xE2\x8F\xB0") != std::string::npos);  // RFC 2047 UTF-8 emoji
    BOOST_TEST(!cal->htmlBody.empty());
}

BOOST_AUTO_TEST_CASE(corpus_bounces_yield_delivery_reports) {
    if (!fs::is_directory(kCorpus)) return;
    struct Want { const char* file; const char* kind; const char* recipient; const char* status; const char* messageId; };
    const Want wants[] = {
        {"fb_dsn_belgian_advalvas.eml", "dsn", "ddd.kkk@advalvas.be", "553 Exceeded maximum inbound message size",
         "<31575A892FF6D1118F5800600846864D5B17D1@intrepid>"},
        {"fb_dsn_text_rfc822_headers.eml", "dsn", "hao-nghi.au@fr.thalesgroup.com", "4.4.0", "<j4d77kvs79.fsf@informatik.hu-berlin.de>"},
        {"fb_qmail_plaintext_bounce.eml", "text", "psadisc@wwwmail.n-h.de", "5.0.0",
         "<11A17AA2B9EAD111BCEA00A0C9B4179303385B62@molach.origin.ea.com>"},
        {"fb_report_without_delivery_status.eml", "text", "wmnqicorpat@nqicorp.com", "5.3.0", ""},
    };
    for (const auto& w : wants) {
        auto r = parseMime(slurp(kCorpus / w.file));
        BOOST_TEST_REQUIRE(r.ok(), w.file);
        BOOST_TEST_REQUIRE(r->deliveryReport.has_value(), w.file);
        const auto& d = *r->deliveryReport;
        BOOST_TEST(d.kind == w.kind, w.file);
        BOOST_TEST_REQUIRE(d.recipients.size() == 1u, w.file);
        BOOST_TEST(d.recipients[0].finalRecipient == w.recipient, w.file);
        BOOST_TEST(d.recipients[0].status == w.status, w.file);
        BOOST_TEST(d.originalMessageId == w.messageId, w.file);
    }
    // An abuse report (multipart/report; report-type=feedback-report) is not a bounce.
    auto arf = parseMime(slurp(kCorpus / "pm_arf_feedback_report.eml"));
    BOOST_TEST_REQUIRE(arf.ok());
    BOOST_TEST(!arf->deliveryReport.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
