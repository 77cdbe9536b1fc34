#include "parsers/invoice/InvoiceFormats.h"

#include "parsers/invoice/BulkTemplate.h"
#include "parsers/invoice/InvoiceJson.h"
#include "parsers/invoice/PdfInvoice.h"
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
    registry.add({"pdf", invoice::sniffPdf, [](std::string_view b) -> Result<std::string> {
                      auto r = invoice::parsePdfInvoice(b);
                      if (!r) return r.error();
                      return invoice::toJson(*r);
                  }});
    registry.add({"xlsx", invoice::sniffXlsx, [](std::string_view b) -> Result<std::string> {
                      auto r = invoice::parseBulkXlsx(b);
                      if (!r) return r.error();
                      return invoice::toJson(*r);
                  }});
    // CSV last: its sniff only accepts the template's header row, but it is the most generic.
    registry.add({"csv", invoice::sniffCsv, [](std::string_view b) -> Result<std::string> {
                      auto r = invoice::parseBulkCsv(b);
                      if (!r) return r.error();
                      return invoice::toJson(*r);
                  }});
}

}  // namespace duegate::parsers
