// Transfer encodings, charsets, RFC 2047/2231 headers and SHA-256, one behaviour per test.
#include "parsers/mime/Charset.h"
#include "parsers/mime/HeaderDecoding.h"
#include "parsers/mime/MimeMessage.h"
#include "parsers/common/Digest.h"
#include "parsers/mime/TransferDecoding.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers::mime;
using duegate::parsers::sha256Hex;

BOOST_AUTO_TEST_SUITE(mime_decoding)

BOOST_AUTO_TEST_CASE(sha256_matches_the_nist_vectors_on_both_code_paths_lengths) {
    BOOST_TEST(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    BOOST_TEST(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(base64_skips_line_breaks_and_stops_at_padding) {
    std::string out;
    BOOST_TEST(decodeBase64("SGVs\r\nbG8g\nd29y bGQ=\r\n", out));
    BOOST_TEST(out == "Hello world");
}

BOOST_AUTO_TEST_CASE(quoted_printable_joins_soft_breaks_and_keeps_bad_escapes) {
    std::string out;
    decodeQuotedPrintable("caf=C3=A9 =\r\nlatte=3D1 100=% \r\nx", out);
    BOOST_TEST(out == "caf\xC3\xA9 latte=1 100=%\r\nx");
}

BOOST_AUTO_TEST_CASE(uuencode_block_is_decoded_with_its_name) {
    std::string out, name;
    BOOST_TEST(decodeUuencode("begin 644 hi.txt\n#:&D*\n`\nend\n", out, name));
    BOOST_TEST(out == "hi\n");
    BOOST_TEST(name == "hi.txt");
}

BOOST_AUTO_TEST_CASE(encoded_words_are_joined_across_whitespace) {
    BOOST_TEST(decodeHeaderText("=?UTF-8?Q?Fa?= =?UTF-8?Q?ctuur?= 12") == "Factuur 12");
    BOOST_TEST(decodeHeaderText("=?ISO-8859-1?B?RnLkbms=?=") == "Fr\xC3\xA4nk");
    BOOST_TEST(decodeHeaderText("plain") == "plain");
}

BOOST_AUTO_TEST_CASE(unknown_charset_in_a_word_is_kept_and_flagged) {
    bool unknown = false;
    BOOST_TEST(decodeHeaderText("=?x-bogus?Q?abc?=", &unknown) == "abc");
    BOOST_TEST(unknown);
}

BOOST_AUTO_TEST_CASE(rfc2231_continuations_with_charset_are_joined) {
    auto p = splitHeaderParams("attachment; filename*0*=UTF-8''caf%C3%A9; filename*1=\" bon.pdf\"");
    BOOST_TEST(p.value == "attachment");
    BOOST_TEST(*headerParam(p, "filename") == "caf\xC3\xA9 bon.pdf");
}

BOOST_AUTO_TEST_CASE(parameters_keep_semicolons_inside_quotes) {
    auto p = splitHeaderParams("application/pdf; name=\"a;b.pdf\"; x=y");
    BOOST_TEST(*headerParam(p, "name") == "a;b.pdf");
    BOOST_TEST(*headerParam(p, "x") == "y");
}

BOOST_AUTO_TEST_CASE(address_lists_handle_quoted_commas_and_groups) {
    auto list = parseAddressList("\"Peeters, An\" <an@x.be>, piet@y.be (Piet), Team: z@z.be, w@w.be;");
    BOOST_TEST_REQUIRE(list.size() == 4u);
    BOOST_TEST(list[0].name == "Peeters, An");
    BOOST_TEST(list[0].address == "an@x.be");
    BOOST_TEST(list[1].name == "Piet");
    BOOST_TEST(list[2].address == "z@z.be");
}

BOOST_AUTO_TEST_CASE(charsets_convert_to_utf8) {
    BOOST_TEST(toUtf8("\x80", "windows-1252").text == "\xE2\x82\xAC");
    BOOST_TEST(toUtf8("Hi +AOk-", "utf-7").text == "Hi \xC3\xA9");
    BOOST_TEST(toUtf8("\xB1", "iso-8859-2").text == "\xC4\x85");
    auto unknown = toUtf8("caf\xE9", "invalid-charset");
    BOOST_TEST(!unknown.known);
    BOOST_TEST(unknown.text == "caf\xC3\xA9");
}

BOOST_AUTO_TEST_CASE(missing_closing_boundary_keeps_the_last_part) {
    auto r = parseMime("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n"
                       "Content-Type: application/pdf; name=x.pdf\r\n\r\n%PDF-1.4 cut");
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST_REQUIRE(r->attachments.size() == 1u);
    BOOST_TEST(r->attachments[0].bytes == "%PDF-1.4 cut");
    BOOST_TEST(r->warnings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_longer_boundary_that_starts_with_ours_is_not_ours) {
    auto r = parseMime("From: a@b.example\r\nContent-Type: multipart/mixed; boundary=ab\r\n\r\n--ab\r\n"
                       "Content-Type: multipart/mixed; boundary=abc\r\n\r\n--abc\r\nContent-Type: image/png; name=i.png\r\n\r\nPNG\r\n--abc--\r\n"
                       "--ab--\r\n");
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST_REQUIRE(r->attachments.size() == 1u);
    BOOST_TEST(r->attachments[0].path == "1.1");
    BOOST_TEST(r->attachments[0].bytes == "PNG");
}

BOOST_AUTO_TEST_SUITE_END()
