#include "gateway/services/InvoiceImport.h"

#include "gateway/services/InvoiceApply.h"
#include "gateway/services/TaskService.h"
#include "parsers/invoice/BulkTemplate.h"
#include "parsers/invoice/PdfInvoice.h"
#include "parsers/invoice/Sniff.h"
#include "parsers/invoice/UblInvoice.h"
#include "parsers/mime/MimeMessage.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"

namespace duegate::services {
namespace {

namespace inv = parsers::invoice;

enum class Kind { None, Ubl, Csv, Xlsx, Pdf, Eml };

Kind kindOf(std::string_view bytes) {
    if (inv::sniffUbl(bytes)) return Kind::Ubl;
    if (inv::sniffPdf(bytes)) return Kind::Pdf;
    if (inv::sniffXlsx(bytes)) return Kind::Xlsx;
    if (inv::sniffEml(bytes)) return Kind::Eml;
    if (inv::sniffCsv(bytes)) return Kind::Csv;
    return Kind::None;
}

// A template row in the shape of a UBL invoice, so it takes exactly the same path to a dossier.
inv::UblInvoice fromRow(const inv::BulkRow& r) {
    inv::UblInvoice u;
    u.documentType = "Invoice";
    u.number = r.invoiceNumber;
    u.issueDate = r.issueDate;
    u.dueDate = r.dueDate;
    u.currency = r.currency;
    u.payableMinor = r.amountMinor;
    u.taxInclusiveMinor = r.amountMinor;
    u.buyer.name = r.debtorName;
    u.buyer.email = r.email;
    u.buyer.phone = r.phone;
    u.buyer.street = r.street;
    u.buyer.postcode = r.postcode;
    u.buyer.city = r.city;
    u.buyer.country = r.country;
    u.buyer.vatId = r.vatNumber;
    if (!r.creditorReference.empty() && r.vatNumber.empty()) {
        // The creditor's own customer reference identifies the debtor better than a name.
        u.buyer.endpointScheme = "creditor-ref";
        u.buyer.endpointId = r.creditorReference;
    }
    if (r.ogm) {
        u.payment.ogm = r.ogm;
        u.payment.paymentId = *r.ogm;
    }
    return u;
}

struct Work {
    std::vector<ParsedUbl> ubl;                 // UBL files and template rows
    std::vector<std::size_t> ublRows;           // the row of each (0 = a UBL document)
    std::vector<std::pair<std::string, inv::PdfInvoice>> pdfs;  // name + proposals
    std::vector<std::pair<std::string, std::string>> pdfBytes;  // name + sha
    std::vector<InvoiceRowError> errors;
};

// Reads one file (or attachment) into `work`. Whole-file failures throw InvoiceFileRejected when
// `strict` (the file itself); inside an .eml they become errors of that attachment.
void read(Context& ctx, const std::string& name, std::string_view bytes, const std::string& sha, Work& work,
          bool strict) {
    auto fail = [&](const std::string& msg) {
        if (strict) throw InvoiceFileRejected(name + ": " + msg);
        work.errors.push_back(InvoiceRowError{0, name, msg});
    };
    switch (kindOf(bytes)) {
        case Kind::Ubl: {
            auto u = inv::parseUbl(bytes);
            if (!u) return fail(u.error().toString());
            ParsedUbl doc{UblFile{name, std::string(bytes)}, std::move(u).value(), sha, {}};
            for (const auto& e : doc.invoice.attachments) doc.renderings.emplace_back(e, ctx.blobs->put(e.bytes));
            work.ubl.push_back(std::move(doc));
            work.ublRows.push_back(0);
            return;
        }
        case Kind::Csv:
        case Kind::Xlsx: {
            const bool csv = kindOf(bytes) == Kind::Csv;
            auto sheet = csv ? inv::parseBulkCsv(bytes) : inv::parseBulkXlsx(bytes);
            if (!sheet) return fail(sheet.error().toString());
            for (const auto& e : sheet->errors)
                work.errors.push_back(InvoiceRowError{e.row, e.column, (e.cell.empty() ? "" : e.cell + ": ") + e.message});
            for (const auto& r : sheet->rows) {
                work.ubl.push_back(ParsedUbl{UblFile{name, std::string()}, fromRow(r), sha, {}});
                work.ublRows.push_back(r.row);
            }
            return;
        }
        case Kind::Pdf: {
            auto pdf = inv::parsePdfInvoice(bytes);
            if (!pdf) return fail(pdf.error().toString());
            work.pdfs.emplace_back(name, std::move(pdf).value());
            work.pdfBytes.emplace_back(name, sha);
            return;
        }
        case Kind::Eml: {
            auto m = parsers::mime::parseMime(bytes);
            if (!m) return fail("the mail could not be read: " + m.error().toString());
            for (const auto& a : m->attachments) {
                if (kindOf(a.bytes) == Kind::None || kindOf(a.bytes) == Kind::Eml) continue;
                read(ctx, a.filename.empty() ? "part " + a.path : a.filename, a.bytes, ctx.blobs->put(a.bytes), work,
                     false);
            }
            if (work.ubl.empty() && work.pdfs.empty() && work.errors.empty())
                fail("no invoice (UBL, PDF or template) attached to the mail");
            return;
        }
        case Kind::None: fail("not an invoice file (UBL, CSV or XLSX template, PDF, .eml)"); return;
    }
}

std::string proposal(const std::optional<inv::Proposal>& p) { return p ? p->value : "?"; }

}  // namespace

bool sniffInvoiceFile(std::string_view head) { return kindOf(head) != Kind::None; }

InvoiceImportOutcome importInvoiceFile(Context& ctx, std::int64_t creditorId, const std::string& filename,
                                       std::string_view bytes, const std::string& sha256,
                                       const std::function<std::optional<std::int64_t>(store::Tx&)>& begin,
                                       const std::function<void(store::Tx&)>& end) {
    Work work;
    read(ctx, filename, bytes, sha256, work, true);
    return ctx.db->transaction([&](store::Tx& tx) {
        const auto item = begin ? begin(tx) : std::nullopt;
        const auto creditor = store::creditors::byId(tx, creditorId);
        if (!creditor) throw InvoiceFileRejected("no creditor " + std::to_string(creditorId));
        InvoiceImportOutcome out;
        out.errors = work.errors;
        for (std::size_t i = 0; i < work.ubl.size(); ++i) {
            InvoiceApplied applied;
            auto doc = work.ubl[i];
            applyUblInvoice(ctx, tx, creditorId, item, *creditor, doc, "", "file", applied);
            out.created += applied.created;
            out.duplicates += applied.duplicates;
            out.held += applied.held;
            for (const auto& p : applied.problems)
                out.errors.push_back(InvoiceRowError{work.ublRows[i], work.ublRows[i] ? "invoice_number" : doc.file.name, p});
        }
        const auto now = ctx.now();
        for (std::size_t i = 0; i < work.pdfs.size(); ++i) {
            // A PDF proposes, a person decides: the document is kept and a review task says what was read.
            const auto& [name, pdf] = work.pdfs[i];
            const auto docId = store::dossiers::upsertDocument(
                tx, store::DocumentRecord{0, creditorId, 0, work.pdfBytes[i].second, "application/pdf", name}, now);
            const auto task = createTask(
                ctx, tx,
                TaskInput{creditorId, std::nullopt, "review", "PDF invoice " + name + " held for review",
                          "Read from the PDF (unconfirmed): invoice " + proposal(pdf.invoiceNumber) + ", amount " +
                              proposal(pdf.amount) + " " + proposal(pdf.currency) + ", due " + proposal(pdf.dueDate) +
                              ", debtor " + proposal(pdf.debtorName) + " " + proposal(pdf.debtorEmail) +
                              ". Document " + std::to_string(docId) + ".",
                          2, "", std::nullopt, "review:document:" + std::to_string(docId)});
            if (task) ++out.held;
            else ++out.duplicates;
        }
        if (end) end(tx);
        return out;
    });
}

}  // namespace duegate::services
