// Canonical JSON of the invoice intake formats for `duegate parse` (layout, key order and sign
// conventions in docs/formats-invoice.md). Embedded bytes are summarised (size, sha256), never printed.
#pragma once

#include "parsers/invoice/BulkTemplate.h"
#include "parsers/invoice/PdfInvoice.h"
#include "parsers/invoice/UblInvoice.h"

#include <string>

namespace duegate::parsers::invoice {

std::string toJson(const UblInvoice& invoice);
std::string toJson(const PdfInvoice& invoice);
std::string toJson(const BulkSheet& sheet);

}  // namespace duegate::parsers::invoice
