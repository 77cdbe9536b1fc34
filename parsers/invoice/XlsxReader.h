// The first worksheet of an XLSX workbook into a Grid, through Poco::Zip and the hardened XML tree:
// workbook.xml (+ its rels) names the first sheet, sharedStrings.xml holds the strings; cells are
// s (shared string), inlineStr, str (formula result), b, n (number, kept as its decimal text).
// Bounded: compressed input size, the uncompressed size of every part read (zip bombs), rows.
#pragma once

#include "parsers/common/Result.h"
#include "parsers/invoice/Grid.h"

#include <string_view>

namespace duegate::parsers::invoice {

Result<Grid> readXlsx(std::string_view bytes, std::size_t maxUncompressedBytes, std::size_t maxRows);

}  // namespace duegate::parsers::invoice
