// Content-Transfer-Encoding decoders: base64, quoted-printable and uuencode, lenient the way mail
// clients are (characters outside the alphabet skipped, a bad =XX kept literally), never throwing.
// Output is appended to `out`, so one buffer can be reused. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace duegate::parsers::mime {

// Returns false when the input ended in the middle of a quantum (the partial bytes are kept).
bool decodeBase64(std::string_view in, std::string& out);
// Returns false when an '=' was not followed by two hex digits or a line break (kept literally).
bool decodeQuotedPrintable(std::string_view in, std::string& out);
// Decodes the first "begin MODE NAME" ... "end" block; `name` receives NAME. False when no
// begin line was found or the block was cut short (the lines read so far are kept).
bool decodeUuencode(std::string_view in, std::string& out, std::string& name);

}  // namespace duegate::parsers::mime
