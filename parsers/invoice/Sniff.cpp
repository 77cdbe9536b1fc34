#include "parsers/invoice/Sniff.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace duegate::parsers::invoice {
namespace {

std::string lowerPrefix(std::string_view s, std::size_t n) {
    std::string out(s.substr(0, n));
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool sniffEml(std::string_view bytes) {
    std::string_view s = bytes.substr(0, 16384);
    std::size_t pos = 0;
    if (s.substr(0, 5) == "From ") {  // mbox separator line
        pos = s.find('\n');
        if (pos == std::string_view::npos) return false;
        ++pos;
    }
    // The first line must be a header field "Name: value" (a name of printable ASCII, no spaces).
    const auto colon = s.find(':', pos);
    const auto eol = s.find('\n', pos);
    if (colon == std::string_view::npos || colon == pos || (eol != std::string_view::npos && colon > eol)) return false;
    for (std::size_t i = pos; i < colon; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c <= 32 || c >= 127) return false;
    }
    // And a field only mail has must appear in the header block.
    const std::string head = lowerPrefix(s.substr(pos), s.size());
    const std::size_t cut = std::min(head.find("\n\n"), head.find("\r\n\r\n"));
    const std::string block = "\n" + (cut == std::string::npos ? head : head.substr(0, cut));
    for (const char* f : {"\nfrom:", "\nreceived:", "\nmessage-id:", "\nmime-version:", "\nreturn-path:",
                          "\ndelivered-to:", "\nsubject:"})
        if (block.find(f) != std::string::npos) return true;
    return false;
}

bool sniffUbl(std::string_view bytes) {
    std::string_view s = bytes.substr(0, 8192);
    std::size_t i = s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    // Skip the prolog: declaration, comments, processing instructions.
    while (i < s.size()) {
        if (std::isspace(static_cast<unsigned char>(s[i]))) { ++i; continue; }
        if (s.substr(i, 2) == "<?") { auto e = s.find("?>", i); if (e == std::string_view::npos) return false; i = e + 2; continue; }
        if (s.substr(i, 4) == "<!--") { auto e = s.find("-->", i); if (e == std::string_view::npos) return false; i = e + 3; continue; }
        break;
    }
    if (i >= s.size() || s[i] != '<') return false;
    // Root element name, prefix dropped: Invoice or CreditNote (CAMT's root is Document).
    std::size_t e = i + 1;
    while (e < s.size() && !std::isspace(static_cast<unsigned char>(s[e])) && s[e] != '>' && s[e] != '/') ++e;
    std::string_view name = s.substr(i + 1, e - i - 1);
    if (const auto c = name.find(':'); c != std::string_view::npos) name = name.substr(c + 1);
    if (name != "Invoice" && name != "CreditNote") return false;
    return s.find("urn:oasis:names:specification:ubl:schema:xsd:") != std::string_view::npos;
}

bool sniffPdf(std::string_view bytes) {
    return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

bool sniffXlsx(std::string_view bytes) {
    if (bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return false;
    // Entry names are stored uncompressed in local headers and the central directory.
    return bytes.find("[Content_Types].xml") != std::string_view::npos && bytes.find("xl/workbook.xml") != std::string_view::npos;
}

bool sniffCsv(std::string_view bytes) {
    // Only the agency's template: its header row names these columns (any order, any case).
    const std::string head = lowerPrefix(bytes, 4096);
    if (head.find('\0') != std::string::npos) return false;
    return head.find("invoice_number") != std::string::npos && head.find("debtor_name") != std::string::npos;
}

}  // namespace duegate::parsers::invoice
