// CODA 2.x (Febelfin "Coded statement of account"): 128-character records 0 (header), 1 (old
// balance), 2.1/2.2/2.3 (movement), 3.1/3.2/3.3 (information), 4 (free message), 8 (new balance),
// 9 (trailer). LF, CRLF or no final newline; blank lines are ignored; a file may hold several
// 0...9 groups and several 1...8 statements per group.
//
// Checks, each a located Error (1-based line, byte offset of the record, field):
// record lengths, dates, amounts (3 decimals in the file; more precision than the currency has is
// an error, never rounded), opening + movements = closing (per statement), record 9's record count
// and debit/credit totals, truncation (a statement without record 8, a file without record 9).
// Globalisation: a movement with a non-zero detail number and the sequence number of the movement
// before it is a detail of that movement (Entry::details) and does not count in the balance.
// Text is converted from ISO-8859-1 when the file is not UTF-8.
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <istream>
#include <string_view>

namespace duegate::parsers::bank {

// True when the first non-blank line is a 128-character CODA header record ("00000" ...).
bool sniffCoda(std::string_view bytes);

Result<StatementFile> parseCoda(std::string_view bytes, const Limits& limits = {});

// Streaming: entries and statements go to the callbacks, nothing is kept. `in` must be seekable
// (the charset is decided on the first 1 MiB, then the stream is rewound).
Result<StreamSummary> parseCodaStream(std::istream& in, const StatementCallbacks& callbacks, const Limits& limits = {});

}  // namespace duegate::parsers::bank
