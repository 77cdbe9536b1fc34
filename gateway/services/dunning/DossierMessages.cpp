#include "gateway/services/dunning/DossierMessages.h"

#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "store/CreditorRepository.h"

#include <stdexcept>

namespace duegate::services::dunning {

DossierTexts loadTexts(Context& ctx, store::Tx& tx, const store::dunning::Candidate& dossier) {
    DossierTexts t;
    t.dossier = dossier;
    if (auto c = store::creditors::byId(tx, dossier.creditorId)) {
        t.creditorName = c->name;
        t.creditorIban = c->iban;
        t.creditorBic = c->bic;
    }
    t.creditorEnterpriseNumber = store::dunning::enterpriseNumber(tx, dossier.creditorId);
    t.invoices = store::dunning::invoiceLines(tx, dossier.dossierId);
    t.agencyName = ctx.settings.agencyName;
    t.link = createLink(ctx, tx, dossier.creditorId, dossier.dossierId).url;
    return t;
}

std::optional<std::int64_t> queueDossierMail(Context& ctx, store::Tx& tx, const DunningSetup& setup,
                                             const DossierTexts& texts, const std::string& templateName,
                                             const core::TemplateData& data, const std::string& dedupeKey,
                                             const std::string& purpose) {
    const auto& d = texts.dossier;
    if (!d.debtorEmail || d.debtorEmail->empty()) return std::nullopt;
    auto text = core::renderMessage(templatesFor(setup, d.creditorId), languageOf(d), templateName, data);
    if (!text) throw std::runtime_error("template: " + text.error().toString() + " (" + text.error().context + ")");
    QueuedMessage m;
    m.creditorId = d.creditorId;
    m.dossierId = d.dossierId;
    m.dedupeKey = dedupeKey;
    m.channel = "email";
    m.purpose = purpose;
    m.recipient = *d.debtorEmail;
    m.subject = text->subject;
    m.body = text->body;
    return queueMessage(ctx, tx, m);
}

}  // namespace duegate::services::dunning
