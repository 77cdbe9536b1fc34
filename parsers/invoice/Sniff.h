// Content sniffers for the invoice intake formats. Each looks at the bytes only, decides from the
// first few KiB, and is careful not to claim what another registered format owns: CAMT is XML too
// (root Document), bank ZIPs are ZIPs too (no [Content_Types].xml / xl/workbook.xml).
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace duegate::parsers::invoice {

bool sniffEml(std::string_view bytes);
bool sniffUbl(std::string_view bytes);
bool sniffPdf(std::string_view bytes);
bool sniffXlsx(std::string_view bytes);
bool sniffCsv(std::string_view bytes);

}  // namespace duegate::parsers::invoice
