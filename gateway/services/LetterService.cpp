#include "gateway/services/LetterService.h"

#include "gateway/core/EpcQr.h"
#include "gateway/core/Money.h"
#include "gateway/services/ChannelFollowUp.h"
#include "parsers/refs/Ogm.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/OutboxRepository.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace duegate::services {
namespace {

std::string word(const std::string& lang, const char* nl, const char* fr, const char* en) {
    return lang == "nl" ? nl : lang == "fr" ? fr : en;
}

std::string cutUtf8(const std::string& s, std::size_t chars) {
    std::size_t cut = 0;
    for (std::size_t n = 0; cut < s.size() && n < chars; ++n) {
        ++cut;
        while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
    }
    return s.substr(0, cut);
}

}  // namespace

std::string formatAmount(std::int64_t minor, const std::string& currency, const std::string& language) {
    const bool negative = minor < 0;
    const std::uint64_t v = negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
    std::string whole = std::to_string(v / 100);
    const std::string sep = language == "en" ? "," : ".";
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), sep);
    const std::string cents = (v % 100 < 10 ? "0" : "") + std::to_string(v % 100);
    const std::string symbol = currency == "EUR" ? "\xe2\x82\xac" : currency;
    if (language == "en") return (negative ? "-" : "") + symbol + whole + "." + cents;
    return (negative ? "-" : "") + whole + "," + cents + " " + symbol;
}

LetterJob letterFor(const Context& ctx, store::Tx& tx, const store::OutboundMessageRecord& m) {
    if (!m.dossierId) throw NotFound("letter without a dossier");
    auto dossier = store::dossiers::dossier(tx, std::nullopt, *m.dossierId);
    if (!dossier) throw NotFound("dossier " + std::to_string(*m.dossierId));
    auto debtor = store::dossiers::debtor(tx, std::nullopt, dossier->debtorId);
    if (!debtor) throw NotFound("debtor " + std::to_string(dossier->debtorId));
    auto creditor = store::creditors::byId(tx, dossier->creditorId);
    const std::string lang = dossier->language.value_or(debtor->language.value_or("nl"));

    LetterJob job;
    auto& l = job.letter;
    l.sender = {ctx.settings.agencyName};
    if (creditor) l.sender.push_back(word(lang, "namens ", "pour ", "on behalf of ") + creditor->name);
    l.sender.push_back(ctx.settings.mailFrom);
    l.recipient = {debtor->name};
    if (debtor->street) l.recipient.push_back(*debtor->street);
    l.recipient.push_back(debtor->postcode.value_or("") + " " + debtor->city.value_or(""));
    if (debtor->country && *debtor->country != "BE") l.recipient.push_back(*debtor->country);
    l.placeDate = civilDate(ctx);
    l.ourReference = word(lang, "Dossier ", "Dossier ", "File ") + dossier->reference;
    l.subject = m.subject.value_or("");
    l.body = m.body;
    l.pageWord = word(lang, "pagina", "page", "page");

    for (const auto& inv : store::dossiers::invoices(tx, dossier->id))
        l.amounts.push_back({word(lang, "Factuur ", "Facture ", "Invoice ") + inv.number +
                                 (inv.dueDate ? word(lang, ", vervallen ", ", échue le ", ", due ") + *inv.dueDate : ""),
                             formatAmount(inv.amountMinor, inv.currency, lang), ""});
    // Interest and costs the decision that queued the message computed, each with its legal basis.
    std::int64_t totalMinor = dossier->openMinor;
    if (m.amounts) {
        try {
            auto rows = Poco::JSON::Parser().parse(*m.amounts).extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; rows && i < rows->size(); ++i) {
                auto row = rows->getObject(static_cast<unsigned>(i));
                const auto minor = row->getValue<Poco::Int64>("minor");
                const auto currency = row->optValue<std::string>("currency", dossier->currency);
                if (currency != dossier->currency) continue;  // one currency per letter
                l.amounts.push_back({row->optValue<std::string>("label", ""), formatAmount(minor, currency, lang),
                                     row->optValue<std::string>("basis", "")});
                totalMinor += minor;
            }
        } catch (const Poco::Exception&) {
            // a malformed row list is shown as the invoices only; the text still says what is claimed
        }
    }
    l.totalLabel = totalMinor == dossier->openMinor ? word(lang, "Openstaand bedrag", "Montant ouvert", "Amount open")
                                                    : word(lang, "Totaal te betalen", "Total à payer", "Total due");
    l.total = formatAmount(totalMinor, dossier->currency, lang);

    // The payee and reference fixed on the dossier at creation (creditor or agency mode).
    std::string reference = dossier->paymentReference.value_or("");
    if (reference.empty() && dossier->ogm) reference = parsers::refs::formatOgm(*dossier->ogm);
    const std::string payee = dossier->payeeName.value_or(creditor ? creditor->name : ctx.settings.agencyName);
    const std::string iban = dossier->payeeIban.value_or(creditor && creditor->iban ? *creditor->iban : "");
    const std::optional<std::string> bic = dossier->payeeIban ? dossier->payeeBic : (creditor ? creditor->bic : std::nullopt);
    if (!reference.empty()) l.payment.push_back(word(lang, "Mededeling: ", "Communication : ", "Reference: ") + reference);
    l.payment.push_back(word(lang, "Begunstigde: ", "Bénéficiaire : ", "Payee: ") + payee);
    if (!iban.empty()) l.payment.push_back("IBAN " + iban);
    if (bic && !bic->empty()) l.payment.push_back("BIC " + *bic);
    if (!iban.empty() && dossier->currency == "EUR" && totalMinor > 0) {
        core::EpcQrInput in;
        in.name = cutUtf8(payee, 70);
        in.iban = iban;
        if (bic && !bic->empty()) in.bic = *bic;
        in.amount = core::Money(totalMinor, dossier->currency);
        if (!reference.empty()) in.reference = reference;
        else in.text = dossier->reference;
        auto built = core::buildEpcQr(in);
        if (!built && in.reference) {  // a creditor's own free-form reference: remittance text
            in.text = in.reference->substr(0, 140);
            in.reference.reset();
            built = core::buildEpcQr(in);
        }
        if (built) l.epcPayload = built.value().payload;
    }
    job.dossierReference = dossier->reference;
    job.recipientName = debtor->name;
    for (std::size_t i = 1; i < l.recipient.size(); ++i) job.addressLine += (i > 1 ? ", " : "") + l.recipient[i];
    return job;
}

channels::DeliveryResult printLetter(const Context& ctx, channels::PrintProvider& print,
                                     const store::OutboundMessageRecord& m) {
    LetterJob job;
    try {
        job = ctx.db->transaction([&](store::Tx& tx) { return letterFor(ctx, tx, m); });
    } catch (const NotFound& e) {
        return channels::Failed{std::string("letter: ") + e.what()};
    }
    channels::RenderedLetter pdf;
    try {
        pdf = channels::renderLetterPdf(job.letter);
    } catch (const std::exception& e) {
        return channels::Failed{e.what()};
    }
    const std::string fileName = job.dossierReference + "-" + std::to_string(m.id) + ".pdf";
    const std::string sha = ctx.blobs->put(pdf.pdf);
    ctx.db->transaction([&](store::Tx& tx) {
        store::DocumentRecord doc;
        doc.creditorId = m.creditorId;
        doc.sha256 = sha;
        doc.size = static_cast<std::int64_t>(pdf.pdf.size());
        doc.contentType = "application/pdf";
        doc.filename = fileName;
        store::outbox::setDocument(tx, m.id, store::dossiers::upsertDocument(tx, doc, ctx.now()));
    });
    channels::PrintJob pj;
    pj.day = civilDate(ctx);
    pj.fileName = fileName;
    pj.pdf = pdf.pdf;
    pj.pages = pdf.pages;
    pj.dossier = job.dossierReference;
    pj.recipientName = job.recipientName;
    pj.address = job.addressLine;
    return print.submit(pj);
}

}  // namespace duegate::services
