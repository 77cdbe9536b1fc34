// A creditor makes a dossier by form in the portal (issue 14 item 2): an invoice as Peppol UBL
// and/or PDF, the debtor's contact details, the creditor's terms and conditions (PDF), and the dates
// of reminders the creditor sent before. It takes exactly the road of every other invoice
// (InvoiceApply.h applyUblInvoice, one transaction): the payee is fixed and checked against the
// creditor's registered IBANs (else a held draft), the same invoice number is one invoice
// (duplicate), the notice goes to the debtor. Without a UBL the typed invoice number, amount and
// dates make the invoice (kept as a JSON document of what was typed); a PDF is kept as the
// invoice's original for the debtor's copy; the terms become a document of the dossier; each
// earlier reminder is an `earlier_reminder` event on the timeline.
// Bad input: FormErrors with one code per field (the portal shows each next to its field).
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

struct FormFile {
    std::string filename;  // display only
    std::string bytes;
};

struct NewDossierForm {
    std::optional<FormFile> ubl, pdf, terms;
    std::string debtorName, email, phone, street, postcode, city, country, vatNumber;
    std::string invoiceNumber, amount, currency, issueDate, dueDate;  // used when there is no UBL
    std::vector<std::string> earlierReminders;                        // YYYY-MM-DD, at most 5
};

// field -> code: required | invalid | not_ubl | not_pdf | too_large | future | duplicate | not_payable
struct FormErrors : InputError {
    explicit FormErrors(std::map<std::string, std::string> f) : InputError("form: bad input"), fields(std::move(f)) {}
    std::map<std::string, std::string> fields;
};

struct NewDossierResult {
    std::int64_t dossierId = 0;
    bool held = false;                     // draft, waiting for review (payee not trusted)
    std::vector<std::string> done, attention;
};

inline constexpr std::size_t kMaxFormFileBytes = 10u << 20;

// NotFound for staff (a dossier belongs to a creditor).
NewDossierResult createDossierByForm(Context& ctx, const Principal& who, const NewDossierForm& form);

struct BulkOutcome {
    std::size_t created = 0, duplicates = 0, held = 0;
    struct Error {
        std::size_t row = 0;
        std::string column, message;
    };
    std::vector<Error> errors;
    bool rejected = false;      // the file as a whole could not be read: nothing imported
    std::string rejection;      // located, one line
};
// The bulk template (CSV/XLSX; also UBL, PDF) through the file intake (FileIntake.h, door 'portal').
BulkOutcome uploadInvoiceFile(Context& ctx, const Principal& who, const std::string& filename, const std::string& bytes);

}  // namespace duegate::services
