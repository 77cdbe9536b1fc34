// Where a debtor pays, decided once when the dossier is created (DESIGN.md "One payee per
// dossier"): in 'creditor' mode the creditor's registered IBAN with the invoice's own structured
// reference (OGM or RF) when it has one, else the dossier's OGM; in 'agency' mode the agency's
// client account ([agency]) with the dossier's own OGM, so the agency's statements match it.
// The notice, every reminder, the debtor page, the QR code and the matcher read the dossier row.
#pragma once

#include "gateway/services/Context.h"
#include "store/Records.h"

#include <optional>
#include <string>

namespace duegate::services {

struct Payee {
    std::string name, iban, bic;
    std::string reference;  // display form: "+++123/4567/89002+++" or "RF.."
};

// invoiceReference: the invoice's own OGM digits (12) or RF, when it has one. dossierOgmDigits:
// the 12 digits of the dossier's generated OGM. Empty iban when the mode's account is not set up
// (a creditor in 'agency' mode while [agency] iban is empty): the caller holds the dossier.
Payee payeeFor(const Context& ctx, const store::CreditorRecord& creditor,
               const std::optional<std::string>& invoiceReference, const std::string& dossierOgmDigits);

// "+++123/4567/89002+++" for 12 OGM digits, anything else as it is.
std::string displayReference(const std::string& reference);

}  // namespace duegate::services
