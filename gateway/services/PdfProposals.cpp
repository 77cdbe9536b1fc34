#include "gateway/services/PdfProposals.h"

#include "gateway/core/Money.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/InvoiceApply.h"
#include "gateway/services/PortalService.h"
#include "parsers/common/JsonWriter.h"
#include "parsers/refs/Iban.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/TaskRepository.h"
#include "gateway/services/TaskService.h"
#include "parsers/invoice/Sniff.h"
#include "parsers/mime/MimeMessage.h"
#include "store/InboundRepository.h"

#include <algorithm>
#include <cctype>

namespace duegate::services {
namespace {

namespace inv = parsers::invoice;

constexpr const char* kTaskPrefix = "review:document:";

void requireStaff(const Principal& who) {
    if (!who.staff()) throw Forbidden("case managers only");
}

std::optional<HeldPdf> heldIn(store::Tx& tx, std::int64_t documentId) {
    store::tasks::Filter f;
    f.kind = "review";
    for (const auto& t : store::tasks::list(tx, std::nullopt, f)) {
        if (t.dedupeKey != kTaskPrefix + std::to_string(documentId)) continue;
        auto doc = store::dossiers::document(tx, t.creditorId, documentId);
        if (!doc || doc->contentType != "application/pdf") return std::nullopt;
        auto c = store::creditors::byId(tx, t.creditorId);
        return HeldPdf{*doc, c ? c->name : std::string(), t.id};
    }
    return std::nullopt;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool oneLine(const std::string& s, std::size_t max) {
    if (s.size() > max) return false;
    return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace

std::int64_t holdPdfOfQuarantinedItem(Context& ctx, const Principal& who, std::int64_t itemId) {
    requireStaff(who);
    const auto item = ctx.db->transaction([&](store::Tx& tx) { return store::inbound::byId(tx, std::nullopt, itemId); });
    if (!item || item->state != "quarantined") throw NotFound("no quarantined item " + std::to_string(itemId));
    const auto raw = ctx.blobs->get(item->sha256);
    if (!raw) throw NotFound("the item's bytes are missing");
    auto mail = parsers::mime::parseMime(*raw);
    if (!mail) throw NotFound("the item is not a readable mail");
    for (const auto& a : mail->attachments) {
        if (!inv::sniffPdf(a.bytes)) continue;
        const auto sha = ctx.blobs->put(a.bytes);
        const std::string name = a.filename.empty() ? "item-" + std::to_string(itemId) + ".pdf" : a.filename;
        return ctx.db->transaction([&](store::Tx& tx) {
            const auto docId = store::dossiers::upsertDocument(
                tx,
                store::DocumentRecord{0, item->creditorId, static_cast<std::int64_t>(a.bytes.size()), sha,
                                      "application/pdf", name},
                ctx.now());
            createTask(ctx, tx,
                       TaskInput{item->creditorId, std::nullopt, "review",
                                 "PDF invoice " + name + " of quarantined mail " + std::to_string(itemId) +
                                     " held for review",
                                 "Taken from the quarantine by " + who.displayName + ". Document " +
                                     std::to_string(docId) + ".",
                                 2, "", std::nullopt, kTaskPrefix + std::to_string(docId)});
            return docId;
        });
    }
    throw NotFound("no PDF attached to item " + std::to_string(itemId));
}

std::vector<HeldPdf> heldPdfs(Context& ctx, const Principal& who) {
    requireStaff(who);
    return ctx.db->transaction([&](store::Tx& tx) {
        std::vector<HeldPdf> out;
        store::tasks::Filter f;
        f.kind = "review";
        for (const auto& t : store::tasks::list(tx, std::nullopt, f)) {
            if (t.dedupeKey.rfind(kTaskPrefix, 0) != 0) continue;
            const std::string id = t.dedupeKey.substr(std::string(kTaskPrefix).size());
            if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) continue;
            if (auto h = heldIn(tx, std::stoll(id))) out.push_back(*h);
        }
        return out;
    });
}

std::optional<std::string> heldPdfBytes(Context& ctx, const Principal& who, std::int64_t documentId) {
    requireStaff(who);
    const auto held = ctx.db->transaction([&](store::Tx& tx) { return heldIn(tx, documentId); });
    if (!held) return std::nullopt;
    return ctx.blobs->get(held->document.sha256);
}

std::optional<PdfProposalView> pdfProposal(Context& ctx, const Principal& who, std::int64_t documentId) {
    requireStaff(who);
    const auto held = ctx.db->transaction([&](store::Tx& tx) { return heldIn(tx, documentId); });
    if (!held) return std::nullopt;
    PdfProposalView v;
    v.held = *held;
    const auto bytes = ctx.blobs->get(held->document.sha256);
    if (!bytes) {
        v.readError = "the PDF's bytes are missing from the blob store";
        return v;
    }
    auto pdf = inv::parsePdfInvoice(*bytes);
    if (!pdf) v.readError = pdf.error().toString();
    else v.proposals = std::move(pdf).value();
    return v;
}

PdfApplied applyConfirmedPdf(Context& ctx, const Principal& who, std::int64_t documentId, const ConfirmedInvoice& raw) {
    requireStaff(who);
    ConfirmedInvoice in = raw;
    for (auto* f : {&in.invoiceNumber, &in.issueDate, &in.dueDate, &in.amount, &in.currency, &in.iban, &in.reference,
                    &in.debtorName, &in.debtorEmail})
        *f = trim(*f);
    inv::UblInvoice u;
    u.documentType = "Invoice";
    if (in.invoiceNumber.empty() || !oneLine(in.invoiceNumber, 100)) throw InputError("invoice_number");
    u.number = in.invoiceNumber;
    const auto issue = parsers::CivilDate::parseIso(in.issueDate);
    if (!issue) throw InputError("issue_date");
    u.issueDate = *issue;
    if (!in.dueDate.empty()) {
        u.dueDate = parsers::CivilDate::parseIso(in.dueDate);
        if (!u.dueDate || *u.dueDate < *issue) throw InputError("due_date");
    }
    std::transform(in.currency.begin(), in.currency.end(), in.currency.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (in.currency.size() != 3 || !std::all_of(in.currency.begin(), in.currency.end(), [](unsigned char c) { return std::isalpha(c) != 0; }))
        throw InputError("currency");
    u.currency = in.currency;
    std::replace(in.amount.begin(), in.amount.end(), ',', '.');
    const auto amount = core::Money::parse(in.amount, in.currency);
    if (!amount || amount->minor() <= 0) throw InputError("amount");
    u.payableMinor = u.taxInclusiveMinor = amount->minor();
    if (!in.iban.empty()) {
        const auto iban = parsers::refs::normalizeIban(in.iban);
        if (!iban) throw InputError("iban");
        u.payment.iban = *iban;
    }
    if (!in.reference.empty()) {
        if (auto ogm = parsers::refs::parseOgm(in.reference)) u.payment.ogm = *ogm;
        else if (auto rf = parsers::refs::parseRf(in.reference)) u.payment.rf = *rf;
        else throw InputError("reference");
        u.payment.paymentId = in.reference;
    }
    if (in.debtorName.empty() || !oneLine(in.debtorName, 200)) throw InputError("debtor_name");
    u.buyer.name = in.debtorName;
    if (!in.debtorEmail.empty()) {
        if (!looksLikeMailAddress(in.debtorEmail)) throw InputError("debtor_email");
        u.buyer.email = in.debtorEmail;
    }

    return ctx.db->transaction([&](store::Tx& tx) {
        const auto held = heldIn(tx, documentId);
        if (!held) throw NotFound("no PDF held for review with document " + std::to_string(documentId));
        const auto creditor = store::creditors::byId(tx, held->document.creditorId);
        if (!creditor) throw NotFound("no creditor");
        // The PDF itself is the invoice's document (found again by its content address).
        ParsedUbl doc{UblFile{held->document.filename, std::string()}, u, held->document.sha256, {}};
        InvoiceApplied applied;
        applyUblInvoice(ctx, tx, creditor->id, std::nullopt, *creditor, doc, "", "pdf", applied);
        PdfApplied out;
        out.problems = applied.problems;
        out.held = applied.held > 0;
        if (!applied.problems.empty()) return out;
        const auto invoice = store::dossiers::invoiceByNumber(tx, creditor->id, "Invoice", u.number);
        if (!invoice) return out;
        out.dossierId = invoice->dossierId;
        store::tasks::close(tx, std::nullopt, held->taskId, "done", who.userId, ctx.now());
        // Which fields the person changed from what the PDF proposed.
        auto proposed = inv::PdfInvoice{};
        if (auto bytes = ctx.blobs->get(held->document.sha256))
            if (auto pdf = inv::parsePdfInvoice(*bytes)) proposed = std::move(pdf).value();
        std::string corrected;
        auto check = [&](const char* name, const std::optional<inv::Proposal>& p, const std::string& value) {
            if (!p || p->value != value) corrected += (corrected.empty() ? "" : ", ") + std::string(name);
        };
        check("invoice number", proposed.invoiceNumber, u.number);
        check("issue date", proposed.issueDate, u.issueDate.iso());
        check("amount", proposed.amount, amount->toDecimal());
        check("debtor", proposed.debtorName, u.buyer.name);
        parsers::JsonWriter w;
        w.beginObject().field("document", documentId).field("user", who.userId).field("corrected", corrected).endObject();
        store::events::append(tx, store::EventRecord{0, creditor->id, invoice->dossierId, ctx.now(), "pdf_confirmed",
                                                     "pdf",
                                                     "Invoice " + u.number + " read from PDF " +
                                                         held->document.filename + ", fields confirmed by " +
                                                         who.displayName +
                                                         (corrected.empty() ? std::string(" as proposed")
                                                                            : "; corrected: " + corrected),
                                                     w.str()});
        return out;
    });
}

}  // namespace duegate::services
