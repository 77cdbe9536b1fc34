// An inbound e-mail as duegate reads it: decoded headers, the text and HTML bodies as UTF-8, every
// attachment with its bytes and digest, and, for bounces, the delivery report.
//
// parseMime(raw, limits) is pure: bytes in, Result<MimeMessage> out. It never throws for bad data.
// - Headers: RFC 2047 encoded words and RFC 2231 parameters (filename*, filename*0*, ...) decoded to
//   UTF-8. A charset we cannot convert is *kept* (bytes passed through as UTF-8 if valid, else read as
//   Windows-1252) and flagged in `warnings`, never dropped.
// - Structure: nested multiparts and attached message/rfc822 parts are recursed; attachments inside an
//   attached message carry its path ("2/1.2" = part 1.2 of the message attached as part 2). An
//   attached message that has a name (Content-Disposition filename or Content-Type name) is listed
//   among the attachments too, whole (Attachment::message). TNEF
//   (winmail.dat) is unpacked: its files replace it, with paths "3:1", "3:2" (part 3, TNEF file n).
// - Broken structure is read the way mail clients do: a missing closing boundary ends the multipart
//   at the end of its parent; a multipart without boundary lines is read as a text part; each repair
//   adds a warning.
// - Bounded by MimeLimits: input size, nesting depth, part count, header field length and header
//   count. Exceeding a bound is an Error naming the limit and the byte offset where it was hit.
// - Delivery reports: RFC 3464 multipart/report (message/delivery-status) and common plain-text
//   bounces (qmail, Exim, Postfix, Exchange wording) fill `deliveryReport`.
// - Every text field (headers, names, addresses, bodies, warnings; not attachment bytes) is valid
//   UTF-8 without NUL: raw 8-bit header bytes are read as Windows-1252, anything else that is not
//   UTF-8 becomes U+FFFD (one warning). Safe for PostgreSQL text columns and JSON.
// Attachment names are data, never paths. Thread-safety: pure function; results are plain values.
#pragma once

#include "parsers/common/Result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::mime {

struct Address {
    std::string name;     // display name, decoded to UTF-8; may be empty
    std::string address;  // addr-spec as written ("jan@example.be"); may be empty for a bare group
    bool operator==(const Address&) const = default;
};

struct Attachment {
    std::string filename;     // decoded (RFC 2231/2047), as sent; may be empty; never used as a path
    std::string contentType;  // lower-case "type/subtype"
    std::string path;         // "1.2"; "2/1.1" inside the message attached as part 2; "3:1" from TNEF
    std::size_t size = 0;     // bytes.size() (decoded)
    std::string sha256Hex;    // lower-case hex of the decoded bytes
    std::string bytes;        // decoded content (base64, quoted-printable, uuencode undone)
    bool inline_ = false;     // Content-Disposition inline (or a related part such as a CID image)
    std::string contentId;    // without <>; empty when absent
    // A named message/rfc822 (or message/global) part ("original message.eml"): `bytes` is the
    // whole attached message as a user would save it. Its own parts are listed as attachments of
    // their own ("2/1.2") and its text is in embeddedMessages, so a consumer looking for documents
    // skips this one (or it would find the forwarded invoice twice).
    bool message = false;
};

// One recipient block of a delivery report.
struct DeliveryRecipient {
    std::string finalRecipient;     // address only ("jan@example.be"), type prefix "rfc822;" removed
    std::string originalRecipient;  // same, when given
    std::string action;             // "failed", "delayed", "delivered", "relayed", "expanded"
    std::string status;             // "5.1.1"; empty when unknown
    std::string diagnostic;         // Diagnostic-Code without its type, or the bounce text line
};

struct DeliveryReport {
    std::string kind;                // "dsn" (RFC 3464) or "text" (a plain-text bounce we recognised)
    std::string reportingMta;        // Reporting-MTA without type; may be empty
    std::string originalMessageId;   // Message-ID of the returned message, with <>; may be empty
    std::vector<DeliveryRecipient> recipients;
};

// A message/rfc822 part found anywhere in the tree (a forwarded mail, a bounced original).
struct EmbeddedMessage {
    std::string path;       // path of the message/rfc822 part ("2", "2/1.3")
    std::string messageId;
    Address from;
    std::string subject;
    std::string date;
    std::string textBody, htmlBody;  // its inline text parts, UTF-8 (not merged into the outer bodies)
};

struct MimeMessage {
    std::string messageId;          // as in the header, with <>; may be empty
    Address from;
    std::vector<Address> to, cc;
    std::optional<Address> replyTo;
    std::string subject;            // decoded UTF-8
    std::string date;               // raw Date header (parsing it is the caller's business)
    std::string inReplyTo;          // raw, may be empty
    std::string textBody, htmlBody; // UTF-8; several inline text parts are joined with "\n"
    std::vector<Attachment> attachments;
    std::vector<EmbeddedMessage> embeddedMessages;
    std::vector<std::string> warnings;  // each repair or doubtful decoding, for a person
    std::optional<DeliveryReport> deliveryReport;
};

// Bounds; every one has a limit+1 test. Defaults suit inbound invoice mail.
struct MimeLimits {
    std::size_t maxBytes = 26214400;     // whole message (matches smtp_in.max_message_bytes)
    std::size_t maxDepth = 16;           // nesting of multiparts and attached messages
    std::size_t maxParts = 512;          // MIME entities in the whole tree (TNEF files included)
    std::size_t maxHeaderLength = 65536; // one unfolded header field
    std::size_t maxHeaderFields = 1000;  // fields in one header block
};

Result<MimeMessage> parseMime(std::string_view raw, const MimeLimits& limits = {});

}  // namespace duegate::parsers::mime
