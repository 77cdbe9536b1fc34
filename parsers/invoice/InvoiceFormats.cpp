#include "parsers/invoice/InvoiceFormats.h"

#include "parsers/invoice/InvoiceJson.h"
#include "parsers/invoice/Sniff.h"
#include "parsers/invoice/UblInvoice.h"
#include "parsers/mime/MimeJson.h"
#include "parsers/mime/MimeMessage.h"

namespace duegate::parsers {

void registerInvoiceFormats(FormatRegistry& registry) {
    registry.add({"ubl", invoice::sniffUbl, [](std::string_view b) -> Result<std::string> {
                      auto r = invoice::parseUbl(b);
                      if (!r) return r.error();
                      return invoice::toJson(*r);
                  }});
    registry.add({"eml", invoice::sniffEml, [](std::string_view b) -> Result<std::string> {
                      auto r = mime::parseMime(b);
                      if (!r) return r.error();
                      return mime::toJson(*r);
                  }});
}

}  // namespace duegate::parsers
