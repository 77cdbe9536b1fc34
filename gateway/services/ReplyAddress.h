// The reply addresses of outbound mail: r+TOKEN@[reply] domain, where TOKEN names one
// outbound_messages row and is signed with the link secret, so that replies and bounces (Reply-To,
// Return-Path = envelope MAIL FROM) come home to the message, and a guessed address is refused at RCPT.
//
// TOKEN = "<message id, decimal>-<first 13 characters of base32(HMAC-SHA256(secret, "reply|v1|<id>"))>",
// base32 in lower case (RFC 4648 alphabet a-z2-7): 65 bits of signature, and nothing that an MTA
// lower-casing the local part could break. parseReplyAddress() folds case, checks the domain, the
// "r+" prefix and the signature in constant time, and returns the message id or nothing.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::services {

std::string replyToken(std::string_view secret, std::int64_t messageId);
std::string replyAddress(std::string_view secret, std::string_view domain, std::int64_t messageId);

// The outbound message id of a valid r+TOKEN@domain address (case-insensitive); nothing otherwise,
// and nothing at all when domain is empty (the feature is off).
std::optional<std::int64_t> parseReplyAddress(std::string_view secret, std::string_view domain,
                                              std::string_view address);

}  // namespace duegate::services
