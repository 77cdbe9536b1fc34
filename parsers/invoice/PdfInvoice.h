// A PDF invoice read as text (poppler-cpp) and the fields a reminder needs *proposed* from it.
//
// A PDF has no structure we can trust, so nothing here is a fact: each Proposal carries a
// confidence (0-100) and the text line it came from, and `confirmed` is always false. A person (or
// a matching UBL file in the same mail) confirms; code must never act on a Proposal alone.
// Heuristics: labelled lines in NL, FR, EN and DE ("Factuurnummer", "Échéance", "Amount due",
// "Rechnungsnummer"...); OGM/RF and IBAN are only proposed when their check digits are right.
// Bounded: input size, pages, extracted text. Encrypted or broken PDFs are a located error.
// Thread-safety: poppler's document objects are per call; poppler's global error callback is set
// once (to silence it), so calling from several threads is safe.
#pragma once

#include "parsers/common/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::invoice {

struct Proposal {
    std::string value;       // normalised: dates YYYY-MM-DD, amount "1234.50", IBAN electronic, OGM 12 digits
    int confidence = 0;      // 0-100: how sure the heuristic is; not a probability
    std::string source;      // the text line it was read from
    bool confirmed = false;  // always false here: a proposal is never a fact
};

struct PdfInvoice {
    std::size_t pages = 0;
    std::string text;  // extracted text, pages separated by form feed
    std::optional<Proposal> invoiceNumber, issueDate, dueDate, amount, currency, iban, ogm, rf, debtorName, debtorEmail;
    std::optional<std::int64_t> amountMinor;  // amount in minor units of `currency` (EUR when unknown)
    std::vector<std::string> warnings;
};

struct PdfLimits {
    std::size_t maxBytes = 20u << 20;
    std::size_t maxPages = 50;
    std::size_t maxTextBytes = 2u << 20;
};

Result<PdfInvoice> parsePdfInvoice(std::string_view bytes, const PdfLimits& limits = {});

// The proposal step alone, on already extracted text (tested without PDFs).
void proposeInvoiceFields(PdfInvoice& invoice);

}  // namespace duegate::parsers::invoice
