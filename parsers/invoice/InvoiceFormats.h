// Registers the invoice intake formats (eml, ubl, pdf, xlsx, csv) with a FormatRegistry, most
// specific first, CSV last.
#pragma once

#include "parsers/common/FormatRegistry.h"

namespace duegate::parsers {

void registerInvoiceFormats(FormatRegistry& registry);

}  // namespace duegate::parsers
