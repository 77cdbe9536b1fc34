// Registers the bank statement formats (CODA, CAMT.053/054, MT940/942, ZIP of statements) with a
// FormatRegistry, most specific first.
#pragma once

#include "parsers/common/FormatRegistry.h"

namespace duegate::parsers {

void registerBankFormats(FormatRegistry& registry);

}  // namespace duegate::parsers
