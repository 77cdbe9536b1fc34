#include "parsers/invoice/InvoiceFormats.h"

namespace duegate::parsers {

void registerInvoiceFormats(FormatRegistry&) {}

}  // namespace duegate::parsers
