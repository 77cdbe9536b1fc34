// The fields every dossier text is rendered with (payment notice, reminders, confirmations), in the
// debtor's language: the one place that turns store rows into template values. The template field
// names are listed in docs/dunning.md ("Template fields").
//
// Amounts and dates are formatted with core::formatAmount / formatDate for the language; the
// legal amounts (Book XIX damages cap, BIK, the EUR 40 compensation) come from gateway/core's rules
// for the dossier's regime, so a text never states an amount the law does not allow.
// Thread-safety: pure functions over their arguments.
#pragma once

#include "gateway/core/Planner.h"
#include "gateway/core/templates/TemplateRenderer.h"
#include "store/DunningRepository.h"
#include "store/Records.h"

#include <optional>
#include <string>
#include <vector>

namespace duegate::services::dunning {

struct DossierTexts {
    store::dunning::Candidate dossier;
    std::string creditorName;
    std::optional<std::string> creditorEnterpriseNumber;
    std::optional<std::string> creditorIban, creditorBic;  // fallback payee for dossiers without one
    std::vector<store::dunning::InvoiceLine> invoices;
    std::string agencyName;
    std::string link;  // the debtor's personal page
};

// The debtor's language (LocaleFormat.h: dossier, debtor, country/postcode).
core::Language languageOf(const store::dunning::Candidate& d);
// be-b2c | be-b2b | nl-b2c | nl-b2b from the debtor's country (NL, else BE) and kind.
core::Regime regimeOf(const store::dunning::Candidate& d);
// The earliest invoice due date, else the day the dossier was made due (today as a last resort).
core::CivilDate dueDateOf(const store::dunning::Candidate& d, const core::CivilDate& fallback);

// Fields of the dossier itself: names, invoices, amounts, payee, reference, link, legal amounts.
core::TemplateData dossierFields(const DossierTexts& t, core::Language l, const core::CivilDate& today);

// The costs a step claims: its legal maximum (a.maxCharge, for a step that needs an ended term)
// less the costs earlier steps of the dossier already claimed; none when nothing is left to claim.
// The dunning run records exactly this amount (store::charges::claim) when it sends the step.
std::optional<core::Money> claimableCosts(const store::dunning::Candidate& d, const core::Action& a);

// Adds the fields of one planned step: deadline, term, costs, totals, previous send.
void addStepFields(core::TemplateData& data, const DossierTexts& t, core::Language l, const core::Action& a,
                   const std::optional<core::CivilDate>& previousSend);

}  // namespace duegate::services::dunning
