#include "gateway/services/InvoiceApply.h"

#include "gateway/core/Money.h"
#include "gateway/core/PaymentReference.h"
#include "gateway/core/templates/LocaleFormat.h"
#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PayeeService.h"
#include "gateway/services/TaskService.h"
#include "gateway/services/dunning/DossierMessages.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "parsers/refs/Iban.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/DunningRepository.h"

#include <cstdio>
#include <stdexcept>

namespace duegate::services {
namespace {

namespace inv = parsers::invoice;

std::string money(std::int64_t minor, const std::string& currency) {
    return currency + " " + core::Money(minor, currency).toDecimal();
}

}  // namespace

std::string matchKeyFor(const inv::Party& buyer) {
    if (!buyer.vatId.empty()) return "vat:" + buyer.vatId;
    if (!buyer.companyId.empty()) return "company:" + buyer.companyId;
    if (!buyer.endpointId.empty()) return "endpoint:" + buyer.endpointScheme + ":" + buyer.endpointId;
    if (!buyer.email.empty()) return "email:" + buyer.email;
    return "name:" + buyer.name;
}

void applyUblInvoice(Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> sourceItemId,
                     const store::CreditorRecord& creditor, const ParsedUbl& doc, const std::string& sender,
                     const std::string& channel, InvoiceApplied& out) {
    const auto& u = doc.invoice;
    const std::string now = ctx.now();
    const std::string label = (u.creditNote() ? "credit note " : "invoice ") + u.number;

    const auto documentId = store::dossiers::upsertDocument(
        tx, store::DocumentRecord{0, creditorId, static_cast<std::int64_t>(doc.file.bytes.size()), doc.sha256,
                                  "application/xml", doc.file.name},
        now);
    std::optional<std::int64_t> renderingId;
    for (const auto& [embedded, sha] : doc.renderings)
        renderingId = store::dossiers::upsertDocument(
            tx, store::DocumentRecord{0, creditorId, static_cast<std::int64_t>(embedded.bytes.size()), sha,
                                      embedded.mimeCode.empty() ? "application/octet-stream" : embedded.mimeCode,
                                      embedded.filename.empty() ? embedded.id : embedded.filename},
            now);

    if (auto existing = store::dossiers::invoiceByNumber(tx, creditorId, u.documentType, u.number)) {
        auto d = store::dossiers::dossier(tx, creditorId, existing->dossierId);
        out.attention.push_back(label + " was received before (dossier " + (d ? d->reference : "?") +
                                "): not created again");
        ++out.duplicates;
        return;
    }

    store::InvoiceRecord invoice;
    invoice.creditorId = creditorId;
    invoice.documentType = u.documentType;
    invoice.number = u.number;
    invoice.amountMinor = u.signedPayableMinor();
    invoice.currency = u.currency;
    invoice.issueDate = u.issueDate.iso();
    // No due date in the invoice: the statutory default of 30 days (Belgian law of 2 Aug 2002, art. 4).
    const auto due = u.dueDate ? *u.dueDate : u.issueDate.plusDays(30);
    invoice.dueDate = due.iso();
    if (u.payment.ogm) invoice.paymentReference = *u.payment.ogm;
    else if (u.payment.rf) invoice.paymentReference = *u.payment.rf;
    invoice.documentId = documentId;
    invoice.renderingDocumentId = renderingId;
    invoice.sourceItemId = sourceItemId;

    if (u.creditNote()) {
        // A credit note reduces the dossier of the invoice it credits; without one it needs a person.
        std::optional<store::InvoiceRecord> credited;
        if (!u.billingReference.empty())
            credited = store::dossiers::invoiceByNumber(tx, creditorId, "Invoice", u.billingReference);
        if (!credited) {
            out.attention.push_back(label + " refers to " +
                                    (u.billingReference.empty() ? std::string("no invoice")
                                                                : "invoice " + u.billingReference) +
                                    " that duegate does not know: not applied");
            out.problems.push_back(out.attention.back());
            return;
        }
        auto dossier = store::dossiers::dossier(tx, creditorId, credited->dossierId);
        invoice.dossierId = credited->dossierId;
        if (!store::dossiers::insertInvoice(tx, invoice, now)) return;
        const auto open = dossier->openMinor + invoice.amountMinor;
        store::dossiers::transition(tx, dossier->id, dossier->status, open <= 0 ? "closed" : dossier->status, now,
                                    {open, std::nullopt});
        store::events::append(tx, store::EventRecord{0, creditorId, dossier->id, now, "invoice_received", channel,
                                                     label + " of " + money(u.payableMinor, u.currency) +
                                                         " credits invoice " + u.billingReference,
                                                     {}});
        out.done.push_back(label + " applied to dossier " + dossier->reference + ": open amount now " +
                           money(open, u.currency));
        ++out.created;
        return;
    }

    if (u.payableMinor <= 0) {
        out.attention.push_back(label + " has nothing payable (" + money(u.payableMinor, u.currency) +
                                "): no dossier created");
        out.problems.push_back(out.attention.back());
        return;
    }

    store::DebtorRecord debtor;
    debtor.creditorId = creditorId;
    debtor.matchKey = matchKeyFor(u.buyer);
    debtor.name = u.buyer.name.empty() ? u.buyer.legalName : u.buyer.name;
    if (!u.buyer.email.empty()) debtor.email = u.buyer.email;
    if (!u.buyer.phone.empty()) debtor.phone = u.buyer.phone;
    if (!u.buyer.vatId.empty()) debtor.vatId = u.buyer.vatId;
    if (!u.buyer.companyId.empty()) debtor.companyId = u.buyer.companyId;
    if (!u.buyer.street.empty()) debtor.street = u.buyer.street;
    if (!u.buyer.postcode.empty()) debtor.postcode = u.buyer.postcode;
    if (!u.buyer.city.empty()) debtor.city = u.buyer.city;
    if (!u.buyer.country.empty()) debtor.country = u.buyer.country;
    // Peppol buyers with a VAT or enterprise number are businesses; anyone else is treated as a
    // consumer, the stricter regime (Book XIX), until a person says otherwise.
    debtor.kind = (u.buyer.vatId.empty() && u.buyer.companyId.empty()) ? "consumer" : "business";
    const auto debtorId = store::dossiers::upsertDebtor(tx, debtor, now);

    const auto year = u.issueDate.year();
    const auto seq = store::dossiers::nextDossierNumber(tx);
    const auto payNumber = store::dossiers::nextPaymentNumber(tx);
    auto refs = core::referencesForNumber(static_cast<std::uint64_t>(payNumber));
    char reference[32];
    std::snprintf(reference, sizeof reference, "D%d-%06lld", year, static_cast<long long>(seq));

    // One payee per dossier, fixed now (DESIGN.md). The invoice's own payee IBAN is checked against
    // the creditor's registered IBANs: a document cannot redirect a debtor's money.
    const auto payee = payeeFor(ctx, creditor, invoice.paymentReference, refs ? refs->ogmDigits : "");
    std::optional<std::string> hold;
    if (!u.payment.iban.empty()) {
        const auto normalized = parsers::refs::normalizeIban(u.payment.iban);
        bool registered = false;
        for (const auto& r : store::creditors::ibans(tx, creditorId))
            registered = registered || (normalized && r.iban == *normalized);
        if (!registered)
            hold = "the invoice asks payment to " + u.payment.iban + ", which is not a registered IBAN of " +
                   creditor.name;
    }
    if (!hold && payee.iban.empty())
        hold = creditor.collectTo == "agency" ? std::string("the agency's client account ([agency] iban) is not set up")
                                              : std::string("the creditor has no registered IBAN");

    store::DossierRecord dossier;
    dossier.creditorId = creditorId;
    dossier.debtorId = debtorId;
    dossier.reference = reference;
    dossier.status = hold ? "draft" : "active";
    dossier.currency = u.currency;
    dossier.openMinor = invoice.amountMinor;
    if (refs) dossier.ogm = refs->ogmDigits;
    dossier.createdAt = now;
    dossier.updatedAt = now;
    dossier.payeeName = payee.name;
    if (!payee.iban.empty()) dossier.payeeIban = payee.iban;
    if (!payee.bic.empty()) dossier.payeeBic = payee.bic;
    if (!payee.reference.empty()) dossier.paymentReference = payee.reference;
    dossier.holdReason = hold;
    // The debtor's language, fixed with the dossier (the debtor page may change it later).
    dossier.language = std::string(core::languageCode(core::chooseLanguage(
        std::nullopt, std::nullopt, u.buyer.country.empty() ? std::nullopt : std::optional<std::string_view>(u.buyer.country),
        u.buyer.postcode.empty() ? std::nullopt : std::optional<std::string_view>(u.buyer.postcode))));
    dossier.id = store::dossiers::insertDossier(tx, dossier);
    invoice.dossierId = dossier.id;
    if (!store::dossiers::insertInvoice(tx, invoice, now)) return;
    // Book XIX's first reminder names the creditor's enterprise number and what the debt is for.
    const std::string enterprise = !u.seller.companyId.empty() ? u.seller.companyId : u.seller.vatId;
    if (!enterprise.empty()) store::dunning::setEnterpriseNumberIfEmpty(tx, creditorId, enterprise);
    std::string description = !u.contractReference.empty() ? "contract " + u.contractReference
                              : !u.orderReference.empty()  ? "order " + u.orderReference
                                                           : u.buyerReference;
    if (!description.empty())
        store::dunning::setInvoiceDescription(tx, creditorId, invoice.documentType, invoice.number, description);

    const std::string amount = money(u.payableMinor, u.currency);
    store::events::append(tx, store::EventRecord{0, creditorId, dossier.id, now, "invoice_received", channel,
                                                 "Invoice " + u.number + " of " + amount + " due " + due.iso() +
                                                     " received from " + (sender.empty() ? "?" : sender),
                                                 {}});
    store::events::append(tx, store::EventRecord{0, creditorId, dossier.id, now, "dossier_created", std::nullopt,
                                                 "Dossier " + dossier.reference + " for " + debtor.name + ", " +
                                                     amount + " open",
                                                 {}});
    std::string line = "Dossier " + dossier.reference + " created for invoice " + u.number + " of " + amount +
                       " due " + due.iso() + ", debtor " + debtor.name;

    if (hold) {
        createTask(ctx, tx,
                   TaskInput{creditorId, dossier.id, "review", "Invoice " + u.number + " held: " + *hold,
                             std::nullopt, 1, "", std::nullopt, "review:dossier:" + std::to_string(dossier.id)});
        out.attention.push_back("invoice " + u.number + " is held for review and not sent to the debtor: " + *hold);
        ++out.held;
        return;
    }
    if (u.buyer.email.empty()) {
        out.attention.push_back("invoice " + u.number + ": no debtor e-mail address in the invoice, no notice sent");
    } else {
        // The notice is a template in the debtor's language (config/templates/<lang>/payment_notice).
        const auto candidate = store::dunning::candidate(tx, creditorId, dossier.id);
        auto texts = dunning::loadTexts(ctx, tx, *candidate);
        if (!u.seller.name.empty()) texts.creditorName = u.seller.name;
        const auto& setup = dunning::setupOf(ctx);
        const auto lang = dunning::languageOf(*candidate);
        const auto today = core::localDate(ctx.clock->now().epochTime(), setup.zone);
        auto text = core::renderMessage(dunning::templatesFor(setup, creditorId), lang, "payment_notice",
                                        dunning::dossierFields(texts, lang, today));
        if (!text) throw std::runtime_error("payment notice: " + text.error().toString());
        queueMessage(ctx, tx,
                     QueuedMessage{creditorId, dossier.id, "notice:dossier:" + std::to_string(dossier.id), "email",
                                   "payment_notice", u.buyer.email, text->subject, text->body});
        line += "; payment notice queued to " + u.buyer.email;
    }
    out.done.push_back(line);
    ++out.created;
}


}  // namespace duegate::services
