#include "channels/OutboundMail.h"

#include <Poco/Base64Decoder.h>
#include <Poco/DateTime.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/StreamCopier.h>

#include <boost/test/unit_test.hpp>

#include <sstream>
#include <stdexcept>

using namespace duegate::channels;

namespace {

const Poco::DateTime kDate(2026, 3, 5, 9, 7, 2);

OutboundMail reminder() {
    OutboundMail m;
    m.from = "Duegate Reminders <reminders@duegate.example>";
    m.to = "Émile Dupré <emile@example.be>";
    m.subject = "Herinnering: factuur 2026-001 — € 1.234,50 vervalt";
    m.textBody = "Beste Émile,\n\nUw factuur staat nog open.\nBetaal = snel. \n";
    m.messageId = "<r-42@duegate.example>";
    m.inReplyTo = "orig-1@creditor.example";
    m.extraHeaders = {{"Auto-Submitted", "auto-generated"}, {"X-Duegate-Dossier", "D-7"}};
    return m;
}

std::string decodeQp(const std::string& s) {
    std::istringstream in(s);
    Poco::Net::QuotedPrintableDecoder dec(in);
    std::string out;
    Poco::StreamCopier::copyToString(dec, out);
    return out;
}

std::string decodeB64(const std::string& s) {
    std::istringstream in(s);
    Poco::Base64Decoder dec(in);
    std::string out;
    Poco::StreamCopier::copyToString(dec, out);
    return out;
}

// The raw (still encoded) value of a header, unfolded, with the whitespace between adjacent
// encoded words removed (RFC 2047 6.2), decoded. Poco's MessageHeader::read decodes by itself
// but keeps that whitespace, so it is not used for this.
std::string decodedHeader(const std::string& raw, const std::string& name) {
    auto pos = raw.find("\r\n" + name + ": ");
    BOOST_TEST_REQUIRE(pos != std::string::npos);
    pos += name.size() + 4;
    std::string v;
    for (;;) {
        auto end = raw.find("\r\n", pos);
        v += raw.substr(pos, end - pos);
        if (raw[end + 2] != ' ' && raw[end + 2] != '\t') break;
        pos = end + 2;
    }
    std::string joined;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v.compare(i, 2, "?=") == 0) {
            auto next = v.find_first_not_of(" \t", i + 2);
            if (next != std::string::npos && next > i + 2 && v.compare(next, 2, "=?") == 0) {
                joined += "?=";
                i = next - 1;
                continue;
            }
        }
        joined += v[i];
    }
    return Poco::Net::MessageHeader::decodeWord(joined);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(render_mail)

BOOST_AUTO_TEST_CASE(a_text_mail_reads_back_with_its_utf8_subject_names_and_body) {
    std::string raw = renderMail(reminder(), kDate);
    std::istringstream in(raw);
    Poco::Net::MessageHeader h;
    h.read(in);
    BOOST_TEST(h.get("Date") == "Thu, 5 Mar 2026 09:07:02 +0000");
    BOOST_TEST(decodedHeader(raw, "Subject") == reminder().subject);
    BOOST_TEST(decodedHeader(raw, "To") == "Émile Dupré <emile@example.be>");
    BOOST_TEST(h.get("From") == "\"Duegate Reminders\" <reminders@duegate.example>");
    BOOST_TEST(h.get("Message-ID") == "<r-42@duegate.example>");
    BOOST_TEST(h.get("In-Reply-To") == "<orig-1@creditor.example>");
    BOOST_TEST(h.get("References") == "<orig-1@creditor.example>");
    BOOST_TEST(h.get("Auto-Submitted") == "auto-generated");
    BOOST_TEST(h.get("MIME-Version") == "1.0");
    BOOST_TEST(h.get("Content-Transfer-Encoding") == "quoted-printable");
    BOOST_TEST(h.get("Content-Type") == "text/plain; charset=utf-8");
    std::string body = raw.substr(raw.find("\r\n\r\n") + 4);
    BOOST_TEST(decodeQp(body) == "Beste Émile,\r\n\r\nUw factuur staat nog open.\r\nBetaal = snel. \r\n");
}

BOOST_AUTO_TEST_CASE(the_output_is_seven_bit_with_crlf_lines_and_is_the_same_for_the_same_input) {
    auto m = reminder();
    m.htmlBody = "<p>Beste Émile</p>";
    m.attachments = {{"factuur.pdf", "application/pdf", std::string(3000, '\xff')}};
    std::string a = renderMail(m, kDate);
    BOOST_TEST(a == renderMail(m, kDate));
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto u = static_cast<unsigned char>(a[i]);
        BOOST_TEST_REQUIRE(u < 0x80);
        if (a[i] == '\n') BOOST_TEST_REQUIRE(a[i - 1] == '\r');
    }
    std::size_t start = 0, longest = 0;
    for (std::size_t p; (p = a.find("\r\n", start)) != std::string::npos; start = p + 2)
        longest = std::max(longest, p - start);
    BOOST_TEST(longest <= 78u);
}

BOOST_AUTO_TEST_CASE(html_and_attachments_read_back_through_a_mime_parser) {
    auto m = reminder();
    m.htmlBody = "<p>Beste Émile,</p>\n<p>Uw factuur.</p>";
    std::string pdf = "%PDF-1.4\n" + std::string(200, '\0') + "\xe2\x82\xac binary";
    m.attachments = {{"factuur 2026-001.pdf", "application/pdf", pdf},
                     {"überweisung.txt", "bad type", "x"}};
    std::string raw = renderMail(m, kDate);
    std::istringstream in(raw);
    Poco::Net::MessageHeader h;
    h.read(in);
    std::string type;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(h.get("Content-Type"), type, params);
    BOOST_TEST(type == "multipart/mixed");
    Poco::Net::MultipartReader mixed(in, params.get("boundary"));

    Poco::Net::MessageHeader ph;
    BOOST_TEST_REQUIRE(mixed.hasNextPart());
    mixed.nextPart(ph);
    Poco::Net::NameValueCollection altParams;
    std::string altType;
    Poco::Net::MessageHeader::splitParameters(ph.get("Content-Type"), altType, altParams);
    BOOST_TEST(altType == "multipart/alternative");
    std::string altBody;
    Poco::StreamCopier::copyToString(mixed.stream(), altBody);
    {
        std::istringstream ain(altBody);
        Poco::Net::MultipartReader alt(ain, altParams.get("boundary"));
        Poco::Net::MessageHeader th;
        alt.nextPart(th);
        std::string text;
        Poco::StreamCopier::copyToString(alt.stream(), text);
        BOOST_TEST(th.get("Content-Type") == "text/plain; charset=utf-8");
        BOOST_TEST(decodeQp(text) == "Beste Émile,\r\n\r\nUw factuur staat nog open.\r\nBetaal = snel. \r\n");
        Poco::Net::MessageHeader hh;
        alt.nextPart(hh);
        std::string html;
        Poco::StreamCopier::copyToString(alt.stream(), html);
        BOOST_TEST(hh.get("Content-Type") == "text/html; charset=utf-8");
        BOOST_TEST(decodeQp(html) == "<p>Beste Émile,</p>\r\n<p>Uw factuur.</p>\r\n");
        BOOST_TEST(!alt.hasNextPart());
    }

    BOOST_TEST_REQUIRE(mixed.hasNextPart());
    Poco::Net::MessageHeader a1;
    mixed.nextPart(a1);
    std::string b1;
    Poco::StreamCopier::copyToString(mixed.stream(), b1);
    std::string disp;
    Poco::Net::NameValueCollection dparams;
    Poco::Net::MessageHeader::splitParameters(a1.get("Content-Disposition"), disp, dparams);
    BOOST_TEST(disp == "attachment");
    BOOST_TEST(dparams.get("filename") == "factuur 2026-001.pdf");
    BOOST_TEST(a1.get("Content-Type").rfind("application/pdf;", 0) == 0u);
    BOOST_TEST(decodeB64(b1) == pdf);

    BOOST_TEST_REQUIRE(mixed.hasNextPart());
    Poco::Net::MessageHeader a2;
    mixed.nextPart(a2);
    std::string b2;
    Poco::StreamCopier::copyToString(mixed.stream(), b2);   // the closing boundary is seen only at its end
    BOOST_TEST(decodeB64(b2) == "x");
    dparams.clear();
    Poco::Net::MessageHeader::splitParameters(a2.get("Content-Disposition"), disp, dparams);
    BOOST_TEST(dparams.get("filename*") == "utf-8''%C3%BCberweisung.txt");
    BOOST_TEST(Poco::Net::MessageHeader::decodeWord(dparams.get("filename")) == "überweisung.txt");
    BOOST_TEST(a2.get("Content-Type").rfind("application/octet-stream;", 0) == 0u);
    BOOST_TEST(!mixed.hasNextPart());
}

BOOST_AUTO_TEST_CASE(line_breaks_in_header_values_cannot_inject_headers) {
    auto m = reminder();
    m.subject = "Hello\r\nBcc: victim@example.com";
    m.to = "Eve\nBcc: x@y <eve@example.com>";
    m.extraHeaders = {{"Reply-To", "a@b\r\nBcc: z@z"}};
    std::string raw = renderMail(m, kDate);
    BOOST_TEST(raw.find("\r\nBcc:") == std::string::npos);
    BOOST_TEST(raw.find("Subject: Hello  Bcc: victim@example.com\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(headers_renderMail_owns_or_invalid_names_are_refused) {
    auto m = reminder();
    m.extraHeaders = {{"Content-Type", "text/html"}};
    BOOST_CHECK_THROW(renderMail(m, kDate), std::invalid_argument);
    m.extraHeaders = {{"Bad Name", "x"}};
    BOOST_CHECK_THROW(renderMail(m, kDate), std::invalid_argument);
    m.extraHeaders = {};
    m.to = "";
    BOOST_CHECK_THROW(renderMail(m, kDate), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_mail_without_message_id_gets_one_in_the_senders_domain) {
    OutboundMail m;
    m.from = "a@duegate.example";
    m.to = "b@example.com";
    std::string id = ensureMessageId(m);
    BOOST_TEST(id.size() > 20u);
    BOOST_TEST(id.substr(id.size() - 16) == "@duegate.example");
    BOOST_TEST(m.messageId == id);
    OutboundMail n = m;
    n.messageId = "<x@y>";
    BOOST_TEST(ensureMessageId(n) == "x@y");
}

BOOST_AUTO_TEST_CASE(quoted_printable_keeps_lines_short_and_marks_trailing_space) {
    std::string longLine(200, 'a');
    std::string qp = encodeQuotedPrintable(longLine + "\nend \t\n=\n");
    std::size_t start = 0;
    for (std::size_t p; (p = qp.find("\r\n", start)) != std::string::npos; start = p + 2)
        BOOST_TEST(p - start <= 76u);
    BOOST_TEST(qp.find("end =09\r\n") != std::string::npos);
    BOOST_TEST(qp.find("\r\n=3D\r\n") != std::string::npos);
    BOOST_TEST(decodeQp(qp) == longLine + "\r\nend \t\r\n=\r\n");
}

BOOST_AUTO_TEST_CASE(long_utf8_subjects_become_several_encoded_words_without_splitting_characters) {
    std::string subject;
    for (int i = 0; i < 40; ++i) subject += "é€";
    std::string enc = encodeHeaderWord(subject);
    BOOST_TEST(enc.find("\r\n ") != std::string::npos);
    std::string joined;
    for (std::size_t i = 0; i < enc.size(); ++i) {
        if (enc.compare(i, 3, "\r\n ") == 0) { i += 2; continue; }
        joined += enc[i];
    }
    BOOST_TEST(Poco::Net::MessageHeader::decodeWord(joined) == subject);
    BOOST_TEST(encodeHeaderWord("plain") == "plain");
}

BOOST_AUTO_TEST_CASE(address_of_takes_the_addr_spec_of_a_mailbox) {
    BOOST_TEST(addressOf("\"Doe, John\" <john@example.com>") == "john@example.com");
    BOOST_TEST(addressOf(" john@example.com ") == "john@example.com");
}

BOOST_AUTO_TEST_SUITE_END()
