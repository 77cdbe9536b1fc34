// A letter to a debtor as a PDF (A4), drawn with cairo and DejaVu Sans (fonts-dejavu-core), so any
// UTF-8 text (accents, €) is embedded and reads back exactly with pdftotext.
//
// Fonts: DejaVu Sans regular and bold loaded from fonts-dejavu-core's TTF files with FreeType
// (cairo-ft), not through fontconfig.
// Layout for a DIN 5008 form B / C5/6 or DL window envelope: the address field at 20 mm from the
// left and 45 mm from the top (85 x 45 mm): a one-line return address in small type, then the
// recipient's lines from 62.7 mm. The sender's letterhead top right, place and date, our reference,
// the subject in bold, the text (paragraphs wrapped to 170 mm, pages added as needed), the amounts
// table (each line with its legal basis), the payment block (reference, payee, IBAN) with the EPC
// QR code (libqrencode modules drawn as cairo rectangles, 35 mm, ECC level M) when a payload is
// given, and "page n / N" at the foot of every page.
// Errors: std::runtime_error when cairo fails or the QR payload cannot be encoded.
// Thread-safety: pure function of its input (cairo and fontconfig are thread-safe).
#pragma once

#include <string>
#include <vector>

namespace duegate::channels {

struct LetterAmount {
    std::string label;   // "Principal", "Interest 8 % from 2026-03-01"
    std::string amount;  // formatted, "1.234,50 €"
    std::string basis;   // legal basis, "Art. XIX.2 WER"; may be empty
};

struct Letter {
    std::vector<std::string> sender;     // name first, then address lines
    std::vector<std::string> recipient;  // name first, then address lines (street, postcode city, country)
    std::string placeDate;               // "Brussel, 29 november 2026"
    std::string ourReference;            // "Dossier D2026-000123"
    std::string subject;
    std::string body;                    // paragraphs separated by "\n"; blank lines kept
    std::vector<LetterAmount> amounts;   // may be empty
    std::string totalLabel, total;       // the bold last row when total is not empty
    std::vector<std::string> payment;    // payment block lines (reference, payee, IBAN, BIC)
    std::string epcPayload;              // the EPC QR payload; empty = no QR code
    std::string pageWord = "page";       // "pagina", "page"
};

struct RenderedLetter {
    std::string pdf;
    int pages = 0;
};

RenderedLetter renderLetterPdf(const Letter& letter);

}  // namespace duegate::channels
