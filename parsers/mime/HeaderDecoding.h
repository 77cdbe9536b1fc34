// Header field decoding: RFC 2047 encoded words, RFC 2231 parameters, address lists.
//
// mimetic (and Poco) do not decode these the way mail clients need, see STACK.md: parameter values
// may hold ';' inside quotes, escaped quotes, filename*0*= continuations with a charset, or (non-
// standard but common) RFC 2047 words inside quotes. Everything here returns UTF-8; a charset that
// cannot be converted sets `unknownCharset` and keeps the bytes (see Charset.h).
// Thread-safety: pure functions.
#pragma once

#include "parsers/mime/MimeMessage.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duegate::parsers::mime {

// Decodes encoded words in an unstructured value (Subject, display names, filenames). Whitespace
// between two adjacent encoded words is dropped (RFC 2047 section 6.2). Raw 8-bit bytes are kept
// as UTF-8 when valid, else read as Windows-1252.
std::string decodeHeaderText(std::string_view raw, bool* unknownCharset = nullptr);

struct HeaderParams {
    std::string value;  // the part before the first ';', trimmed, lower-cased ("text/plain", "attachment")
    std::vector<std::pair<std::string, std::string>> params;  // names lower-cased, values unquoted
};

// Splits "type/sub; a=b; c=\"d;e\"" honouring quotes and backslash escapes.
HeaderParams splitHeaderParams(std::string_view raw);

// The decoded value of parameter `name` (RFC 2231: name*, name*0, name*0*..., charset'lang'%XX;
// then RFC 2047 inside the value). std::nullopt when absent.
std::optional<std::string> headerParam(const HeaderParams& p, std::string_view name, bool* unknownCharset = nullptr);

// "Jan <jan@x.be>, \"Peeters, An\" <an@y.be>, piet@z.be" -> three addresses; groups flattened.
std::vector<Address> parseAddressList(std::string_view raw);

std::string toLowerAscii(std::string_view s);
std::string_view trimView(std::string_view s);

}  // namespace duegate::parsers::mime
