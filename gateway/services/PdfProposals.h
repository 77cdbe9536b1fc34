// Turning a PDF invoice that came without UBL into a dossier (issue 14 item 3): duegate proposes
// the fields from the PDF's text (parsers/invoice/PdfInvoice.h: invoice number, dates, amount with
// currency, IBAN, structured reference, debtor name and e-mail, each with its confidence and the
// line it came from), a case manager confirms or corrects each one beside the PDF, and the
// confirmed fields take the normal invoice path (InvoiceApply.h applyUblInvoice): the same
// payee and trust rules (an IBAN the creditor did not register holds the dossier as a draft with a
// review task), the same idempotency by invoice number.
//
// The PDFs offered are the documents held for review by the file intake (an open task with dedupe
// key "review:document:<id>"). Staff only (Forbidden otherwise); a document that is not such a PDF
// is NotFound. Each function is one transaction.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "parsers/invoice/PdfInvoice.h"
#include "store/Records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

struct HeldPdf {
    store::DocumentRecord document;
    std::string creditorName;
    std::int64_t taskId = 0;
};
// A quarantined mail (no UBL) whose first PDF attachment is to be read: the PDF is kept as the
// creditor's document with a "review:document:N" task, like a PDF of the file intake, and its id
// returned (the same id again for the same PDF). The item stays quarantined. NotFound when the
// item is not quarantined or has no PDF attachment.
std::int64_t holdPdfOfQuarantinedItem(Context& ctx, const Principal& who, std::int64_t itemId);

// Open "review:document:N" tasks whose document is a PDF, oldest first.
std::vector<HeldPdf> heldPdfs(Context& ctx, const Principal& who);

struct PdfProposalView {
    HeldPdf held;
    parsers::invoice::PdfInvoice proposals;  // text and proposals; std::nullopt fields: nothing found
    std::optional<std::string> readError;    // the PDF could not be read (encrypted, broken)
};
std::optional<PdfProposalView> pdfProposal(Context& ctx, const Principal& who, std::int64_t documentId);
// The held PDF's bytes (shown beside the proposals).
std::optional<std::string> heldPdfBytes(Context& ctx, const Principal& who, std::int64_t documentId);

// What the person confirmed or corrected, as typed.
struct ConfirmedInvoice {
    std::string invoiceNumber, issueDate, dueDate, amount, currency, iban, reference, debtorName, debtorEmail;
};
struct PdfApplied {
    std::optional<std::int64_t> dossierId;  // the new (or, for a number seen before, the existing) dossier
    bool held = false;                      // a draft: the payee IBAN is not registered
    std::vector<std::string> problems;      // why nothing was created
};
// InputError naming the field for a value that does not parse (a date, an amount, an IBAN or a
// reference with wrong check digits, an e-mail address).
PdfApplied applyConfirmedPdf(Context& ctx, const Principal& who, std::int64_t documentId, const ConfirmedInvoice& in);

}  // namespace duegate::services
