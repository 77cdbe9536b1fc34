// SWIFT MT940 customer statements and MT942 interim reports, as banks export them: with or
// without SWIFT blocks ({1:...}{4:...-}), with header lines before the first :20:, SOH/ETX
// wrapping, statements separated by '-' or not at all, LF or CRLF.
//
// Fields: :20: starts a statement; :25: account (IBAN, optionally followed by the currency, or
// BIC/number, or a legacy number); :28C:/:28: number/sequence; :60F:/:60M: opening; :61: entry
// (value date, optional entry date, C/D/RC/RD mark, optional funds code, amount, type, customer
// and bank reference, supplementary line); :86: information for the entry before it (parsed for
// ?NN and >NN subfields, SEPA keys EREF+/SVWZ+, and /KEY/value/ structures) or, after :62:, for
// the statement; :62F:/:62M: closing, checked against opening + entries; :90D:/:90C: (MT942)
// number and sum of debits/credits, checked. Other tags are skipped (listed in warnings).
// Charset: UTF-8 when the file is valid UTF-8, else CP852 for PLN/HUF/CZK accounts and
// ISO-8859-1 otherwise, recorded in StatementFile::charset.
// Errors are located by line and byte offset of the field and name the tag.
// Thread-safety: pure functions.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <istream>
#include <string_view>

namespace duegate::parsers::bank {

// True when one of the first lines is a :20: tag and a :25:/:28C:/:60F: tag follows soon.
bool sniffMt940(std::string_view bytes);

Result<StatementFile> parseMt940(std::string_view bytes, const Limits& limits = {});

// Streaming: entries and statements go to the callbacks, nothing is kept. `in` must be seekable
// (the charset is decided on the first 1 MiB, then the stream is rewound).
Result<StreamSummary> parseMt940Stream(std::istream& in, const StatementCallbacks& callbacks, const Limits& limits = {});

}  // namespace duegate::parsers::bank
