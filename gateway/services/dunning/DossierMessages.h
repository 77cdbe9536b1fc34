// Texts about one dossier, rendered from the templates and queued in the caller's transaction:
// what the run, the confirmations (promise, plan, payment, thanks) and the letters channel share.
//
//   auto t = loadTexts(ctx, tx, candidate);              // names, invoices, payee, a fresh link
//   auto data = dossierFields(t, languageOf(candidate), today);   // MessageFields.h
//   data.values["promise_date"] = ...;
//   queueDossierMail(ctx, tx, setup, t, "promise_confirmation", data, "promise:17", "promise_confirmation");
// Thread-safety: one Tx per call, as every service.
#pragma once

#include "gateway/services/Context.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "gateway/services/dunning/MessageFields.h"
#include "store/Sql.h"

#include <cstdint>
#include <optional>
#include <string>

namespace duegate::services::dunning {

// The creditor's name, enterprise number and account, the dossier's invoices, the agency name and
// a new personal link (each message carries its own link token).
DossierTexts loadTexts(Context& ctx, store::Tx& tx, const store::dunning::Candidate& dossier);

// Renders <lang>/<templateName> (the debtor's language, the creditor's overrides) and queues it by
// e-mail to the debtor; std::nullopt when the debtor has no e-mail address or the key was queued
// before. Throws std::runtime_error when the template is missing or broken.
std::optional<std::int64_t> queueDossierMail(Context& ctx, store::Tx& tx, const DunningSetup& setup,
                                             const DossierTexts& texts, const std::string& templateName,
                                             const core::TemplateData& data, const std::string& dedupeKey,
                                             const std::string& purpose);

}  // namespace duegate::services::dunning
