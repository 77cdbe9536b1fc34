// RFC 4180 CSV into a Grid: quoted fields with doubled quotes and line breaks, CRLF or LF, the
// separator (',' ';' or TAB) taken from the first line; a UTF-8 BOM is dropped and text that is
// not UTF-8 is read as Windows-1252 (what Excel writes on Belgian machines).
// Bounded: rows and cell length; an unterminated quote is a located error.
#pragma once

#include "parsers/common/Result.h"
#include "parsers/invoice/Grid.h"

#include <string_view>

namespace duegate::parsers::invoice {

Result<Grid> readCsv(std::string_view bytes, std::size_t maxRows, std::size_t maxCellBytes);

}  // namespace duegate::parsers::invoice
