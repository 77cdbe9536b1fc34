// Text decoding for line-based bank files (CODA, MT940), which carry no charset declaration.
//
// A file that is valid UTF-8 is read as UTF-8 (or "ascii" when it has no byte above 0x7F).
// Otherwise it is 8-bit: CP852 when the statement currency says Central Europe (PLN, HUF, CZK:
// banks there export in the DOS code page), ISO-8859-1 otherwise. The choice is recorded in the
// output (StatementFile::charset) so a reader knows the text was converted.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace duegate::parsers::bank {

enum class Charset { Ascii, Utf8, Latin1, Cp852 };

// Ascii / Utf8 when the bytes are valid UTF-8, else Latin1 (the caller may upgrade to Cp852).
Charset detectCharset(std::string_view bytes);
const char* charsetName(Charset c);
// A streaming reader decides the charset on the first 1 MiB. When that was plain ASCII and a later
// line has a byte above 0x7F, the line decides: Utf8 when it is valid UTF-8, else `eightBit`.
// Returns `current` unchanged in every other case.
Charset refineCharset(Charset current, std::string_view line, Charset eightBit = Charset::Latin1);
// Converts 8-bit text to UTF-8; Ascii/Utf8 input is returned unchanged, except Utf8 text that is
// not valid UTF-8 (a late 8-bit line of a stream judged on its start), which is read as Latin1.
std::string toUtf8(std::string_view text, Charset from);
// The same into `out` (replacing its content, reusing its capacity: the streaming readers refill
// one entry per movement without allocating).
void toUtf8(std::string_view text, Charset from, std::string& out);

}  // namespace duegate::parsers::bank
