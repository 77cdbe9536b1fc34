// Delivery reports (bounces) of mail we sent: RFC 3464 message/delivery-status bodies, and the
// plain-text bounces that MTAs still send (qmail, Exim, Postfix, Exchange, Lotus wording), read
// by heuristics that only look at the part of the text before the returned message.
// Thread-safety: pure functions.
#pragma once

#include "parsers/mime/MimeMessage.h"

#include <optional>
#include <string_view>

namespace duegate::parsers::mime {

// Parses the body of a message/delivery-status part (per-message block, then one block per
// recipient). std::nullopt when it names no recipient.
std::optional<DeliveryReport> parseDeliveryStatus(std::string_view body);

// True when the sender or subject says this is a bounce (MAILER-DAEMON, postmaster,
// "Undeliverable", "failure notice", "Delivery Status Notification", ...).
bool looksLikeBounce(const MimeMessage& msg);

// Reads recipients, status and diagnostic out of a bounce's human-readable text; the original
// Message-ID from a "Message-ID:" line of the quoted original when there is one.
std::optional<DeliveryReport> parseTextBounce(std::string_view text);

}  // namespace duegate::parsers::mime
