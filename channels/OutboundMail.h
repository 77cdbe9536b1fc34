// OutboundMail and renderMail(): the one place where an outgoing mail becomes RFC 5322 bytes.
//
// renderMail() produces a complete message (CRLF line endings, 7-bit clean, so it needs no
// 8BITMIME from any relay):
// - headers Date, From, To, Subject, Message-ID, In-Reply-To/References (when inReplyTo is set),
//   the extra headers in order, MIME-Version; non-ASCII in Subject, display names and extra
//   header values as RFC 2047 encoded words (UTF-8, base64); CR/LF inside a value becomes a
//   space, so user data (a debtor's name in the subject) cannot inject headers;
// - text only: one text/plain part; text + html: multipart/alternative; with attachments:
//   multipart/mixed around that; bodies quoted-printable UTF-8, attachments base64 with both
//   Content-Type name= and Content-Disposition filename= (RFC 2231 filename* when not ASCII),
//   since Poco's addAttachment sets only the former and some clients only read the latter.
// - boundaries are derived from the Message-ID and start with "=_", which neither
//   quoted-printable nor base64 output can contain, so they never collide with content.
// The output is a pure function of (mail, date): golden tests can compare it byte for byte.
//
// Errors: std::invalid_argument for a mail that is a bug to build: empty from/to, an extra
// header with an invalid name or one renderMail writes itself (From, Content-Type, ...).
// Channels catch it and answer Failed.
// Thread-safety: pure functions.
#pragma once

#include <Poco/DateTime.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duegate::channels {

struct MailAttachment {
    std::string filename;      // shown to the reader; never used as a path by duegate
    std::string contentType;   // "application/pdf"; empty or malformed = application/octet-stream
    std::string bytes;
};

struct OutboundMail {
    std::string from;        // "Name <addr@x>" or "addr@x"
    std::string to;          // one mailbox, same forms
    std::string subject;     // UTF-8
    std::string textBody;    // UTF-8; line endings LF or CRLF
    std::string htmlBody;    // optional; UTF-8 HTML; makes the body multipart/alternative
    std::string messageId;   // without or with <>; empty = the channel assigns one
    std::string inReplyTo;   // Message-ID this answers; empty = none
    std::vector<std::pair<std::string, std::string>> extraHeaders;   // e.g. Reply-To, Auto-Submitted
    std::vector<MailAttachment> attachments;
    std::string returnPath;  // envelope MAIL FROM (where bounces go), e.g. r+TOKEN@reply domain;
                             // empty = the channel's default; not a header (the receiver adds Return-Path)
};

// RFC 5322 bytes for the mail, dated `date` (UTC). An empty messageId gets a random one here;
// callers that need to know it (all channels) assign it first with ensureMessageId().
std::string renderMail(const OutboundMail& mail, const Poco::DateTime& date);

// The addr-spec of a mailbox: "Name <a@b>" -> "a@b", "a@b" -> "a@b".
std::string addressOf(std::string_view mailbox);

// Gives the mail a fresh Message-ID ("<random>@<domain of from>") when it has none, and strips
// surrounding <> from an existing one. Returns the id without brackets.
std::string ensureMessageId(OutboundMail& mail);

// RFC 2047 encoded words for an unstructured header value when it is not plain ASCII; the value
// itself otherwise. Exposed for tests and for other channels that build headers.
std::string encodeHeaderWord(std::string_view utf8);

// Quoted-printable (RFC 2045 6.7) of text, line endings normalised to CRLF, lines <= 76.
std::string encodeQuotedPrintable(std::string_view text);

}  // namespace duegate::channels
