// Each MimeLimits bound: at the limit the mail parses, one past it is a located error.
#include "parsers/mime/MimeMessage.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers::mime;

namespace {

std::string nested(std::size_t depth) {
    // depth multiparts inside each other, one text leaf at the bottom.
    std::string head = "From: a@b.example\r\nSubject: n\r\n";
    std::string out = head;
    for (std::size_t i = 0; i < depth; ++i)
        out += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
    out += "Content-Type: text/plain\r\n\r\nleaf\r\n";
    for (std::size_t i = depth; i-- > 0;) out += "--b" + std::to_string(i) + "--\r\n";
    return out;
}

std::string withParts(std::size_t n) {
    std::string out = "From: a@b.example\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n";
    for (std::size_t i = 0; i < n; ++i) out += "--x\r\nContent-Type: application/octet-stream\r\n\r\nz\r\n";
    return out + "--x--\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mime_limits)

BOOST_AUTO_TEST_CASE(message_size_limit_and_one_past_it) {
    MimeLimits l;
    const std::string m = "From: a@b.example\r\n\r\nhello";
    l.maxBytes = m.size();
    BOOST_TEST(parseMime(m, l).ok());
    l.maxBytes = m.size() - 1;
    auto r = parseMime(m, l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "message");
    BOOST_TEST(r.error().offset == l.maxBytes);
}

BOOST_AUTO_TEST_CASE(nesting_depth_limit_and_one_past_it) {
    MimeLimits l;
    l.maxDepth = 5;
    BOOST_TEST(parseMime(nested(5), l).ok());
    auto r = parseMime(nested(6), l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "depth");
    BOOST_TEST(r.error().offset != duegate::parsers::Error::npos);
}

BOOST_AUTO_TEST_CASE(deep_nesting_far_past_the_limit_is_refused_without_recursing) {
    auto r = parseMime(nested(5000));
    BOOST_TEST(!r.ok());
}

BOOST_AUTO_TEST_CASE(part_count_limit_and_one_past_it) {
    MimeLimits l;
    l.maxParts = 11;  // the multipart itself + 10 leaves
    auto ok = parseMime(withParts(10), l);
    BOOST_TEST_REQUIRE(ok.ok());
    BOOST_TEST(ok->attachments.size() == 10u);
    auto r = parseMime(withParts(11), l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "parts");
    BOOST_TEST(r.error().line > 0u);
}

BOOST_AUTO_TEST_CASE(header_length_limit_and_one_past_it) {
    MimeLimits l;
    l.maxHeaderLength = 100;
    const std::string at = "From: a@b.example\r\nSubject: " + std::string(100, 'x') + "\r\n\r\nbody";
    BOOST_TEST(parseMime(at, l).ok());
    const std::string past = "From: a@b.example\r\nSubject: " + std::string(101, 'x') + "\r\n\r\nbody";
    auto r = parseMime(past, l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "header subject");
    BOOST_TEST(r.error().line == 2u);
    // Folding does not get around it.
    const std::string folded = "From: a@b.example\r\nSubject: " + std::string(60, 'x') + "\r\n " + std::string(60, 'y') + "\r\n\r\nb";
    BOOST_TEST(!parseMime(folded, l).ok());
}

BOOST_AUTO_TEST_CASE(header_field_count_limit_and_one_past_it) {
    MimeLimits l;
    l.maxHeaderFields = 20;
    std::string at = "From: a@b.example\r\n", past;
    for (int i = 0; i < 19; ++i) at += "X-H: v\r\n";
    past = at + "X-H: v\r\n";
    BOOST_TEST(parseMime(at + "\r\nb", l).ok());
    auto r = parseMime(past + "\r\nb", l);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "header");
}

BOOST_AUTO_TEST_CASE(tnef_files_count_as_parts) {
    // A winmail.dat with 3 files needs 3 more parts than the message has.
    std::string tnef = std::string("\x78\x9f\x3e\x22\x01\x00", 6);
    auto rec = [&](std::uint32_t id, const std::string& data) {
        std::string r(1, '\x02');
        for (int i = 0; i < 4; ++i) r += static_cast<char>((id >> (8 * i)) & 0xFF);
        for (int i = 0; i < 4; ++i) r += static_cast<char>((data.size() >> (8 * i)) & 0xFF);
        return r + data + std::string(2, '\0');
    };
    for (int i = 0; i < 3; ++i) tnef += rec(0x00069002, "x") + rec(0x00018010, std::string("f") + char('0' + i) + std::string(1, '\0')) + rec(0x0006800F, "data");
    std::string b64;
    {
        static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::size_t i = 0;
        for (; i + 2 < tnef.size(); i += 3) {
            const unsigned v = (static_cast<unsigned char>(tnef[i]) << 16) | (static_cast<unsigned char>(tnef[i + 1]) << 8) | static_cast<unsigned char>(tnef[i + 2]);
            b64 += a[v >> 18]; b64 += a[(v >> 12) & 63]; b64 += a[(v >> 6) & 63]; b64 += a[v & 63];
        }
        if (tnef.size() - i == 1) { const unsigned v = static_cast<unsigned char>(tnef[i]) << 16; b64 += a[v >> 18]; b64 += a[(v >> 12) & 63]; b64 += "=="; }
        if (tnef.size() - i == 2) { const unsigned v = (static_cast<unsigned char>(tnef[i]) << 16) | (static_cast<unsigned char>(tnef[i + 1]) << 8); b64 += a[v >> 18]; b64 += a[(v >> 12) & 63]; b64 += a[(v >> 6) & 63]; b64 += "="; }
    }
    const std::string mail = "From: a@b.example\r\nContent-Type: application/ms-tnef\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n";
    MimeLimits l;
    l.maxParts = 4;
    auto ok = parseMime(mail, l);
    BOOST_TEST_REQUIRE(ok.ok());
    BOOST_TEST(ok->attachments.size() == 3u);
    BOOST_TEST(ok->attachments[2].path == "1:3");
    BOOST_TEST(ok->attachments[2].filename == "f2");
    l.maxParts = 3;
    BOOST_TEST(!parseMime(mail, l).ok());
}

BOOST_AUTO_TEST_CASE(input_that_is_not_a_mail_is_a_located_error) {
    auto r = parseMime("just some words\nwithout headers\n");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().field == "header");
    BOOST_TEST(!parseMime("").ok());
}

BOOST_AUTO_TEST_SUITE_END()
