// Whatever bytes a sender puts in header fields, every text parseMime returns is valid UTF-8
// without NUL (PostgreSQL refuses both; the ingest stores subject, sender, Message-ID and file
// names). Raw 8-bit header bytes are read as Windows-1252, as the subject always was; anything
// else that is not UTF-8 becomes U+FFFD.
#include "parsers/common/Utf8.h"
#include "parsers/mime/MimeMessage.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace duegate::parsers;
using namespace duegate::parsers::mime;

namespace {

bool clean(const std::string& s) { return isValidUtf8(s) && s.find('\0') == std::string::npos; }

void requireAllClean(const MimeMessage& m) {
    BOOST_TEST(clean(m.messageId), m.messageId);
    BOOST_TEST(clean(m.from.name));
    BOOST_TEST(clean(m.from.address));
    for (const auto& a : m.to) BOOST_TEST((clean(a.name) && clean(a.address)));
    BOOST_TEST(clean(m.subject));
    BOOST_TEST(clean(m.date));
    BOOST_TEST(clean(m.inReplyTo));
    BOOST_TEST(clean(m.textBody));
    for (const auto& a : m.attachments) BOOST_TEST((clean(a.filename) && clean(a.contentId) && clean(a.contentType)));
    for (const auto& e : m.embeddedMessages) BOOST_TEST((clean(e.messageId) && clean(e.subject) && clean(e.from.address) && clean(e.textBody)));
    for (const auto& w : m.warnings) BOOST_TEST(clean(w));
}

const std::string kU_FFFD = "\xef\xbf\xbd";

}  // namespace

BOOST_AUTO_TEST_SUITE(header_utf8)

BOOST_AUTO_TEST_CASE(raw_8bit_header_bytes_are_read_as_windows_1252) {
    const std::string raw =
        "From: \"Caf\xe9 \xff\" <caf\xe9@example.be>\r\nTo: j\xc3(n@example.be\r\n"
        "Subject: Factuur \x80 \xc3\r\nMessage-ID: <\xff\xfe@example.be>\r\nIn-Reply-To: <\xe9@x>\r\n"
        "Date: Mon, 5 Jan 2026 10:00:00 +0100 (\xe9t\xe9)\r\n\r\nbody\r\n";
    const auto r = parseMime(raw);
    BOOST_REQUIRE(r.ok());
    requireAllClean(*r);
    BOOST_TEST(r->messageId == "<\xc3\xbf\xc3\xbe@example.be>");   // U+00FF U+00FE
    BOOST_TEST(r->subject == "Factuur \xe2\x82\xac \xc3\x83");       // euro sign (1252), A-tilde
    BOOST_TEST(r->inReplyTo == "<\xc3\xa9@x>");
    BOOST_TEST(r->from.name == "Caf\xc3\xa9 \xc3\xbf");
}

BOOST_AUTO_TEST_CASE(nul_and_invalid_bytes_from_encoded_words_and_parameters_become_u_fffd) {
    const std::string raw =
        "From: =?utf-8?Q?Jan=00Peeters?= <jan@example.be>\r\nTo: x@example.be\r\n"
        "Subject: =?utf-8?Q?a=00b?= =?utf-7?Q?c=FFd?=\r\nMessage-ID: <id@example.be>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain; charset=utf-7\r\n\r\nhi \xff there\r\n"
        "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''a%00b.pdf\r\n"
        "Content-ID: <c\x01\xff@x>\r\n\r\n%PDF-\r\n"
        "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: <\xff@x>\r\nMessage-ID: <\xfe@x>\r\nSubject: =?utf-8?B?AA==?=\r\n\r\ninner\r\n"
        "--b--\r\n";
    const auto r = parseMime(raw);
    BOOST_REQUIRE(r.ok());
    requireAllClean(*r);
    BOOST_TEST(r->subject == "a" + kU_FFFD + "b" + "c" + kU_FFFD + "d");
    BOOST_TEST(r->from.name == "Jan" + kU_FFFD + "Peeters");
    BOOST_REQUIRE(r->attachments.size() == 1u);
    BOOST_TEST(r->attachments[0].filename == "a" + kU_FFFD + "b.pdf");
    BOOST_TEST(r->attachments[0].bytes == "%PDF-");  // content is not text: untouched
    BOOST_TEST(r->textBody == "hi " + kU_FFFD + " there");
    BOOST_REQUIRE(r->embeddedMessages.size() == 1u);
    BOOST_TEST(r->embeddedMessages[0].subject == kU_FFFD);
    bool warned = false;
    for (const auto& w : r->warnings) warned = warned || w.find("U+FFFD") != std::string::npos;
    BOOST_TEST(warned);
}

BOOST_AUTO_TEST_CASE(make_valid_utf8_replaces_each_bad_byte_and_keeps_good_text) {
    std::string ok = "caf\xc3\xa9 \xe2\x82\xac";
    BOOST_TEST(!makeValidUtf8(ok));
    BOOST_TEST(ok == "caf\xc3\xa9 \xe2\x82\xac");
    std::string bad = std::string("a\0b", 3) + "\xc3(" + "\xed\xa0\x80" + "\xf4\x90\x80\x80" + "\xc3\xa9";
    BOOST_TEST(makeValidUtf8(bad));
    BOOST_TEST(bad == "a" + kU_FFFD + "b" + kU_FFFD + "(" + kU_FFFD + kU_FFFD + kU_FFFD + kU_FFFD + kU_FFFD + kU_FFFD + kU_FFFD + "\xc3\xa9");
}

BOOST_AUTO_TEST_SUITE_END()
