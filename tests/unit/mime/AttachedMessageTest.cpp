// Attached messages (message/rfc822): a named one is an attachment of its own, whole, with its
// name, type, size and digest, as mail clients and Python's email list it; its own parts and text
// stay where they were (attachments "2/...", embeddedMessages).
#include "parsers/mime/MimeMessage.h"
#include "parsers/common/Digest.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace duegate::parsers::mime;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(fs::path(DUEGATE_SOURCE_DIR) / "fixtures" / "mime" / name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const Attachment* byPath(const MimeMessage& m, const std::string& path) {
    for (const auto& a : m.attachments)
        if (a.path == path) return &a;
    return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attached_messages)

BOOST_AUTO_TEST_CASE(a_named_attached_message_is_listed_whole_before_its_own_parts) {
    const auto r = parseMime(fixture("forwarded_named_message_base64.eml"));
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().toString()));
    const auto& m = *r;
    BOOST_REQUIRE(m.attachments.size() == 2u);
    const Attachment& eml = m.attachments[0];
    BOOST_TEST(eml.path == "2");
    BOOST_TEST(eml.filename == "original message.eml");  // RFC 2231 filename*
    BOOST_TEST(eml.contentType == "message/rfc822");
    BOOST_TEST(eml.message);
    BOOST_TEST(!eml.inline_);
    // The bytes a user downloads: the attached message itself (its base64 transfer encoding undone).
    BOOST_TEST(eml.bytes.starts_with("From: Facturatie Janssens <facturatie@janssens.example>\r\n"));
    BOOST_TEST(eml.bytes.ends_with("--fw-inner--\r\n"));
    BOOST_TEST(eml.size == 7465u);
    BOOST_TEST(eml.sha256Hex == "1ae724cba3f89d70ad69571b71badfd15f1155f131f4bfc2e6dd24a64b7024d7");  // Python hashlib
    BOOST_TEST(eml.sha256Hex == duegate::parsers::sha256Hex(eml.bytes));
    // Its own UBL once, under its path; its text in embeddedMessages.
    const Attachment* ubl = byPath(m, "2/2");
    BOOST_REQUIRE(ubl);
    BOOST_TEST(ubl->filename == "2026-118.xml");
    BOOST_TEST(!ubl->message);
    BOOST_TEST(ubl->bytes.find("ubl:schema:xsd:Invoice-2") != std::string::npos);
    BOOST_REQUIRE(m.embeddedMessages.size() == 2u);
    BOOST_TEST(m.embeddedMessages[0].path == "2");
    BOOST_TEST(m.embeddedMessages[0].textBody == "Factuur 2026/118 in bijlage.\r\n");
    // A nameless attached message is not an attachment (bounces keep their shape).
    BOOST_TEST(m.embeddedMessages[1].path == "3");
    BOOST_TEST(!byPath(m, "3"));
    BOOST_TEST(m.textBody == "Zie het doorgestuurde bericht.\r\n");
}

BOOST_AUTO_TEST_CASE(a_content_type_name_also_names_an_attached_message) {
    const std::string raw =
        "From: a@example.be\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        "--b\r\nContent-Type: message/rfc822; name=\"Doorgestuurd.eml\"\r\nContent-Disposition: inline\r\n\r\n"
        "From: b@example.be\r\nSubject: binnen\r\n\r\ninner text\r\n"
        "--b--\r\n";
    const auto r = parseMime(raw);
    BOOST_REQUIRE(r.ok());
    BOOST_REQUIRE(r->attachments.size() == 1u);
    const auto& a = r->attachments[0];
    BOOST_TEST(a.filename == "Doorgestuurd.eml");
    BOOST_TEST(a.inline_);
    BOOST_TEST(a.bytes == "From: b@example.be\r\nSubject: binnen\r\n\r\ninner text");
    BOOST_TEST(a.size == a.bytes.size());
    BOOST_REQUIRE(r->embeddedMessages.size() == 1u);
    BOOST_TEST(r->embeddedMessages[0].textBody == "inner text");
}

BOOST_AUTO_TEST_SUITE_END()
