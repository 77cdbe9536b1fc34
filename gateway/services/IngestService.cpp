#include "gateway/services/IngestService.h"

#include "gateway/core/Money.h"
#include "gateway/core/PaymentReference.h"
#include "gateway/services/IntakeMessages.h"
#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PayeeService.h"
#include "gateway/services/TaskService.h"
#include "gateway/services/States.h"
#include "parsers/invoice/UblInvoice.h"
#include "parsers/mime/MimeMessage.h"
#include "parsers/refs/Iban.h"
#include "parsers/refs/Ogm.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>

#include <iostream>

namespace duegate::services {
namespace {

namespace mime = parsers::mime;
namespace inv = parsers::invoice;

struct UblFile {
    std::string name;  // filename, or the part path when the file has none
    std::string bytes;
};

struct ParsedDoc {
    UblFile file;
    inv::UblInvoice invoice;
    std::string sha256;  // blob of the UBL
    std::vector<std::pair<inv::EmbeddedDocument, std::string>> renderings;  // + blob sha
};

// Peppol UBL is recognised by its root namespace, whatever the file is called.
bool looksLikeUbl(std::string_view bytes) {
    const auto head = bytes.substr(0, 4096);
    return head.find("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2") != std::string_view::npos ||
           head.find("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2") != std::string_view::npos;
}

std::string money(std::int64_t minor, const std::string& currency) {
    return currency + " " + core::Money(minor, currency).toDecimal();
}

std::string describeAttachments(const mime::MimeMessage& m) {
    std::string s;
    for (const auto& a : m.attachments) {
        if (!s.empty()) s += ", ";
        s += (a.filename.empty() ? "(unnamed)" : a.filename) + " (" + a.contentType + ", " + std::to_string(a.size) +
             " bytes)";
    }
    return s;
}

std::string matchKeyFor(const inv::Party& buyer) {
    if (!buyer.vatId.empty()) return "vat:" + buyer.vatId;
    if (!buyer.companyId.empty()) return "company:" + buyer.companyId;
    if (!buyer.endpointId.empty()) return "endpoint:" + buyer.endpointScheme + ":" + buyer.endpointId;
    if (!buyer.email.empty()) return "email:" + buyer.email;
    return "name:" + buyer.name;
}

std::string receivedAtText(const Context& ctx) {
    return Poco::DateTimeFormatter::format(Poco::DateTime(ctx.clock->now()), "%Y-%m-%d %H:%M UTC");
}

void quarantine(Context& ctx, const store::InboundItemRecord& item, const std::string& subject,
                const std::string& sender, const std::string& reason) {
    ctx.db->transaction([&](store::Tx& tx) {
        requireTransition(Machine::InboundItem, "received", "quarantined");
        if (!store::inbound::transition(tx, item.id, "received", "quarantined", reason, ctx.now())) return;
        // No replies to strangers: only a known address of this creditor hears why (no backscatter).
        if (!sender.empty() && store::creditors::isKnownSender(tx, item.creditorId, sender)) {
            const auto text = quarantineReply(ctx.settings.agencyName, subject, receivedAtText(ctx), reason);
            queueMessage(ctx, tx,
                         QueuedMessage{item.creditorId, std::nullopt, "quarantine:item:" + std::to_string(item.id),
                                       "email", "quarantine_reply", sender, text.subject, text.body});
        }
    });
}

struct Applied {
    std::vector<std::string> done, attention;
};

// Applies one UBL invoice inside the item's transaction. Adds what happened to `out`.
void applyInvoice(Context& ctx, store::Tx& tx, const store::InboundItemRecord& item,
                  const store::CreditorRecord& creditor, const ParsedDoc& doc, const std::string& sender,
                  Applied& out) {
    const auto& u = doc.invoice;
    const std::string now = ctx.now();
    const std::string label = (u.creditNote() ? "credit note " : "invoice ") + u.number;

    const auto documentId = store::dossiers::upsertDocument(
        tx, store::DocumentRecord{0, item.creditorId, static_cast<std::int64_t>(doc.file.bytes.size()), doc.sha256,
                                  "application/xml", doc.file.name},
        now);
    std::optional<std::int64_t> renderingId;
    for (const auto& [embedded, sha] : doc.renderings)
        renderingId = store::dossiers::upsertDocument(
            tx, store::DocumentRecord{0, item.creditorId, static_cast<std::int64_t>(embedded.bytes.size()), sha,
                                      embedded.mimeCode.empty() ? "application/octet-stream" : embedded.mimeCode,
                                      embedded.filename.empty() ? embedded.id : embedded.filename},
            now);

    if (auto existing = store::dossiers::invoiceByNumber(tx, item.creditorId, u.documentType, u.number)) {
        auto d = store::dossiers::dossier(tx, item.creditorId, existing->dossierId);
        out.attention.push_back(label + " was received before (dossier " + (d ? d->reference : "?") +
                                "): not created again");
        return;
    }

    store::InvoiceRecord invoice;
    invoice.creditorId = item.creditorId;
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
    invoice.sourceItemId = item.id;

    if (u.creditNote()) {
        // A credit note reduces the dossier of the invoice it credits; without one it needs a person.
        std::optional<store::InvoiceRecord> credited;
        if (!u.billingReference.empty())
            credited = store::dossiers::invoiceByNumber(tx, item.creditorId, "Invoice", u.billingReference);
        if (!credited) {
            out.attention.push_back(label + " refers to " +
                                    (u.billingReference.empty() ? std::string("no invoice")
                                                                : "invoice " + u.billingReference) +
                                    " that duegate does not know: not applied");
            return;
        }
        auto dossier = store::dossiers::dossier(tx, item.creditorId, credited->dossierId);
        invoice.dossierId = credited->dossierId;
        if (!store::dossiers::insertInvoice(tx, invoice, now)) return;
        const auto open = dossier->openMinor + invoice.amountMinor;
        store::dossiers::setStatus(tx, dossier->id, open <= 0 ? "closed" : dossier->status, open, now);
        store::events::append(tx, store::EventRecord{0, item.creditorId, dossier->id, now, "invoice_received", "email",
                                                     label + " of " + money(u.payableMinor, u.currency) +
                                                         " credits invoice " + u.billingReference,
                                                     {}});
        out.done.push_back(label + " applied to dossier " + dossier->reference + ": open amount now " +
                           money(open, u.currency));
        return;
    }

    if (u.payableMinor <= 0) {
        out.attention.push_back(label + " has nothing payable (" + money(u.payableMinor, u.currency) +
                                "): no dossier created");
        return;
    }

    store::DebtorRecord debtor;
    debtor.creditorId = item.creditorId;
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
    const auto seq = store::dossiers::nextCounter(tx, "dossier_reference:" + std::to_string(year));
    const auto payNumber = store::dossiers::nextCounter(tx, "payment_reference");
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
        for (const auto& r : store::creditors::ibans(tx, item.creditorId))
            registered = registered || (normalized && r.iban == *normalized);
        if (!registered)
            hold = "the invoice asks payment to " + u.payment.iban + ", which is not a registered IBAN of " +
                   creditor.name;
    }
    if (!hold && payee.iban.empty())
        hold = creditor.collectTo == "agency" ? std::string("the agency's client account ([agency] iban) is not set up")
                                              : std::string("the creditor has no registered IBAN");

    store::DossierRecord dossier;
    dossier.creditorId = item.creditorId;
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
    dossier.id = store::dossiers::insertDossier(tx, dossier);
    invoice.dossierId = dossier.id;
    if (!store::dossiers::insertInvoice(tx, invoice, now)) return;

    const std::string amount = money(u.payableMinor, u.currency);
    store::events::append(tx, store::EventRecord{0, item.creditorId, dossier.id, now, "invoice_received", "email",
                                                 "Invoice " + u.number + " of " + amount + " due " + due.iso() +
                                                     " received from " + (sender.empty() ? "?" : sender),
                                                 {}});
    store::events::append(tx, store::EventRecord{0, item.creditorId, dossier.id, now, "dossier_created", std::nullopt,
                                                 "Dossier " + dossier.reference + " for " + debtor.name + ", " +
                                                     amount + " open",
                                                 {}});
    std::string line = "Dossier " + dossier.reference + " created for invoice " + u.number + " of " + amount +
                       " due " + due.iso() + ", debtor " + debtor.name;

    if (hold) {
        createTask(ctx, tx,
                   TaskInput{item.creditorId, dossier.id, "review", "Invoice " + u.number + " held: " + *hold,
                             std::nullopt, 1, "", std::nullopt, "review:dossier:" + std::to_string(dossier.id)});
        out.attention.push_back("invoice " + u.number + " is held for review and not sent to the debtor: " + *hold);
        return;
    }
    if (u.buyer.email.empty()) {
        out.attention.push_back("invoice " + u.number + ": no debtor e-mail address in the invoice, no notice sent");
    } else {
        const auto link = createLink(ctx, tx, item.creditorId, dossier.id);
        NoticeFields f;
        f.creditorName = u.seller.name.empty() ? creditor.name : u.seller.name;
        f.debtorName = debtor.name;
        f.invoiceNumber = u.number;
        f.issueDate = u.issueDate.iso();
        f.dueDate = due.iso();
        f.amount = amount;
        f.payeeName = payee.name;
        f.iban = payee.iban;
        f.bic = payee.bic;
        f.reference = payee.reference;
        f.link = link.url;
        const auto text = paymentNotice(f);
        queueMessage(ctx, tx,
                     QueuedMessage{item.creditorId, dossier.id, "notice:dossier:" + std::to_string(dossier.id), "email",
                                   "payment_notice", u.buyer.email, text.subject, text.body});
        line += "; payment notice queued to " + u.buyer.email;
    }
    out.done.push_back(line);
}

}  // namespace

IngestStats processPending(Context& ctx, std::size_t limit) {
    IngestStats stats;
    const auto items = ctx.db->transaction([&](store::Tx& tx) { return store::inbound::pending(tx, limit); });
    for (const auto& item : items) {
        try {
            const auto raw = ctx.blobs->get(item.sha256);
            if (!raw) {
                quarantine(ctx, item, "", "", "raw bytes " + item.sha256 + " missing from the blob store");
                ++stats.quarantined;
                continue;
            }
            auto parsed = mime::parseMime(*raw);
            if (!parsed) {
                quarantine(ctx, item, "", item.mailFrom.value_or(""),
                           "the mail could not be read: " + parsed.error().toString());
                ++stats.quarantined;
                continue;
            }
            const auto& msg = *parsed;
            const std::string sender = !msg.from.address.empty() ? msg.from.address : item.mailFrom.value_or("");
            // Intake trusts senders, not documents: mail from anyone the creditor has not listed is
            // kept, quarantined and never answered (no reply tells a stranger the address works).
            const bool authorised = ctx.db->transaction(
                [&](store::Tx& tx) { return store::creditors::isKnownSender(tx, item.creditorId, sender); });
            if (!authorised) {
                quarantine(ctx, item, msg.subject, "",
                           "sender not authorised: " + (sender.empty() ? std::string("(no sender)") : sender));
                ++stats.quarantined;
                continue;
            }
            std::vector<ParsedDoc> docs;
            std::vector<std::string> broken;
            for (const auto& a : msg.attachments) {
                if (!looksLikeUbl(a.bytes)) continue;
                UblFile file{a.filename.empty() ? "part " + a.path : a.filename, a.bytes};
                auto u = inv::parseUbl(a.bytes);
                if (!u) {
                    broken.push_back(file.name + ": " + u.error().toString());
                    continue;
                }
                ParsedDoc doc{file, std::move(u).value(), "", {}};
                docs.push_back(std::move(doc));
            }
            if (docs.empty()) {
                std::string reason;
                if (!broken.empty()) {
                    reason = "the UBL invoice could not be read: " + broken.front();
                } else if (msg.attachments.empty()) {
                    reason = "no attachment: send the invoice as a Peppol UBL file attached to the mail";
                } else {
                    reason = "no Peppol UBL invoice among the attachments (" + describeAttachments(msg) + ")";
                }
                quarantine(ctx, item, msg.subject, sender, reason);
                ++stats.quarantined;
                continue;
            }
            // Durable copies of the originals before the transaction that points at them.
            for (auto& d : docs) {
                d.sha256 = ctx.blobs->put(d.file.bytes);
                for (const auto& e : d.invoice.attachments) d.renderings.emplace_back(e, ctx.blobs->put(e.bytes));
            }
            const bool applied = ctx.db->transaction([&](store::Tx& tx) {
                requireTransition(Machine::InboundItem, "received", "applied");
                if (!store::inbound::transition(tx, item.id, "received", "applied", std::nullopt, ctx.now()))
                    return false;  // another worker took it
                const auto creditor = store::creditors::byId(tx, item.creditorId);
                Applied out;
                for (const auto& d : docs) applyInvoice(ctx, tx, item, *creditor, d, sender, out);
                for (const auto& b : broken) out.attention.push_back(b);
                if (!sender.empty()) {
                    const auto text = ackMail(ctx.settings.agencyName, msg.subject, receivedAtText(ctx), out.done,
                                              out.attention, ctx.settings.baseUrl + "/");
                    queueMessage(ctx, tx,
                                 QueuedMessage{item.creditorId, std::nullopt, "ack:item:" + std::to_string(item.id),
                                               "email", "ack", sender, text.subject, text.body});
                }
                return true;
            });
            if (applied) ++stats.applied;
        } catch (const std::exception& e) {
            // Infrastructure failure: the item stays 'received' and the next pass tries again.
            std::cerr << "ingest: item " << item.id << ": " << e.what() << "\n";
            ++stats.failed;
        }
    }
    return stats;
}

void reprocessItem(Context& ctx, std::optional<std::int64_t> scope, std::int64_t itemId) {
    ctx.db->transaction([&](store::Tx& tx) {
        auto item = store::inbound::byId(tx, scope, itemId);
        if (!item) throw NotFound("no inbound item " + std::to_string(itemId));
        if (item->state != "quarantined")
            throw InputError("inbound item " + std::to_string(itemId) + " is " + item->state + ", not quarantined");
        requireTransition(Machine::InboundItem, "quarantined", "received");
        store::inbound::transition(tx, itemId, "quarantined", "received", std::nullopt, ctx.now());
    });
}

std::size_t reprocessAllQuarantined(Context& ctx) {
    return ctx.db->transaction([&](store::Tx& tx) {
        std::size_t n = 0;
        for (const auto& item : store::inbound::inState(tx, std::nullopt, "quarantined", 100000))
            n += store::inbound::transition(tx, item.id, "quarantined", "received", std::nullopt, ctx.now()) ? 1 : 0;
        return n;
    });
}

}  // namespace duegate::services
