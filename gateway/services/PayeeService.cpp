#include "gateway/services/PayeeService.h"

#include "parsers/refs/Ogm.h"

#include <algorithm>
#include <cctype>

namespace duegate::services {

std::string displayReference(const std::string& reference) {
    const bool digits12 = reference.size() == 12 && std::all_of(reference.begin(), reference.end(), [](char c) {
                              return std::isdigit(static_cast<unsigned char>(c));
                          });
    return digits12 ? parsers::refs::formatOgm(reference) : reference;
}

Payee payeeFor(const Context& ctx, const store::CreditorRecord& creditor,
               const std::optional<std::string>& invoiceReference, const std::string& dossierOgmDigits) {
    Payee p;
    const std::string own = dossierOgmDigits.empty() ? std::string() : displayReference(dossierOgmDigits);
    if (creditor.collectTo == "creditor") {
        p.name = creditor.name;
        p.iban = creditor.iban.value_or("");
        p.bic = creditor.bic.value_or("");
        p.reference = invoiceReference && !invoiceReference->empty() ? displayReference(*invoiceReference) : own;
    } else {
        p.name = ctx.settings.agencyName;
        p.iban = ctx.settings.agencyIban;
        p.bic = ctx.settings.agencyBic;
        p.reference = own;
    }
    return p;
}

}  // namespace duegate::services
