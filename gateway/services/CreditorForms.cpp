#include "gateway/services/CreditorForms.h"

#include "gateway/core/Money.h"
#include "gateway/core/PhoneNumber.h"
#include "gateway/services/FileIntake.h"
#include "gateway/services/InvoiceApply.h"
#include "gateway/services/InvoiceImport.h"
#include "parsers/common/CivilDate.h"
#include "parsers/common/JsonWriter.h"
#include "parsers/invoice/Sniff.h"
#include "parsers/invoice/UblInvoice.h"
#include "store/CreditorPortalRepository.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>

namespace duegate::services {
namespace {

namespace inv = parsers::invoice;

constexpr std::size_t kMaxText = 200;
constexpr std::size_t kMaxReminders = 5;

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos) return {};
    return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

bool emailShape(const std::string& e) {
    const auto at = e.find('@');
    return at != std::string::npos && at > 0 && e.find('.', at) != std::string::npos && e.find('@', at + 1) == std::string::npos &&
           e.find_first_of(" \t<>\",;") == std::string::npos && e.size() <= 254 && e.back() != '.';
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

NewDossierResult createDossierByForm(Context& ctx, const Principal& who, const NewDossierForm& form) {
    if (!who.creditorId) throw NotFound("a dossier belongs to a creditor");
    const std::int64_t creditorId = *who.creditorId;
    std::map<std::string, std::string> errors;
    const auto today = parsers::CivilDate::parseIso(ctx.now().substr(0, 10));

    // The files: sniffed by content, never trusted by name or type.
    std::optional<inv::UblInvoice> ubl;
    if (form.ubl) {
        if (form.ubl->bytes.size() > kMaxFormFileBytes) errors["ubl"] = "too_large";
        else if (!inv::sniffUbl(form.ubl->bytes)) errors["ubl"] = "not_ubl";
        else if (auto u = inv::parseUbl(form.ubl->bytes)) ubl = std::move(u).value();
        else errors["ubl"] = "invalid";
    }
    for (const auto& [name, file] : {std::pair<const char*, const std::optional<FormFile>*>{"pdf", &form.pdf},
                                     std::pair<const char*, const std::optional<FormFile>*>{"terms", &form.terms}})
        if (*file) {
            if ((*file)->bytes.size() > kMaxFormFileBytes) errors[name] = "too_large";
            else if (!inv::sniffPdf((*file)->bytes)) errors[name] = "not_pdf";
        }

    // The debtor: typed fields fill (or, when typed, replace) the UBL buyer's contact details.
    const std::string debtorName = trim(form.debtorName), email = trim(form.email), phone = trim(form.phone);
    const std::string country = upper(trim(form.country));
    if (!ubl && debtorName.empty()) errors["debtor_name"] = "required";
    for (const auto& [field, value] : {std::pair<const char*, std::string>{"debtor_name", debtorName},
                                       {"street", form.street}, {"postcode", form.postcode}, {"city", form.city},
                                       {"vat_number", form.vatNumber}, {"invoice_number", form.invoiceNumber}})
        if (value.size() > kMaxText) errors[field] = "invalid";
    if (!email.empty() && !emailShape(email)) errors["email"] = "invalid";
    std::optional<std::string> e164;
    if (!phone.empty() && !(e164 = core::normalizePhone(phone, country.empty() ? "BE" : country))) errors["phone"] = "invalid";
    if (!country.empty() && (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
                             !std::isalpha(static_cast<unsigned char>(country[1]))))
        errors["country"] = "invalid";

    // The invoice when there is no UBL: number, amount, dates as typed.
    inv::UblInvoice u;
    if (ubl) {
        u = *ubl;
    } else if (!errors.count("ubl")) {
        u.documentType = "Invoice";
        u.number = trim(form.invoiceNumber);
        if (u.number.empty()) errors["invoice_number"] = "required";
        u.currency = trim(form.currency).empty() ? "EUR" : upper(trim(form.currency));
        if (u.currency.size() != 3) errors["currency"] = "invalid";
        std::string amount = trim(form.amount);
        std::replace(amount.begin(), amount.end(), ',', '.');
        if (amount.empty()) errors["amount"] = "required";
        else if (auto m = core::Money::parse(amount, u.currency); !m || m->minor() <= 0) errors["amount"] = "invalid";
        else u.payableMinor = u.taxInclusiveMinor = m->minor();
        if (trim(form.issueDate).empty()) {
            if (today) u.issueDate = *today;
        } else if (auto d = parsers::CivilDate::parseIso(trim(form.issueDate))) {
            u.issueDate = *d;
            if (today && *today < *d) errors["issue_date"] = "future";
        } else {
            errors["issue_date"] = "invalid";
        }
        if (!trim(form.dueDate).empty()) {
            if (auto d = parsers::CivilDate::parseIso(trim(form.dueDate)); d && !(*d < u.issueDate)) u.dueDate = *d;
            else errors["due_date"] = "invalid";
        }
    }
    if (!debtorName.empty()) u.buyer.name = debtorName;
    if (!email.empty()) u.buyer.email = email;
    if (e164) u.buyer.phone = *e164;
    if (!trim(form.street).empty()) u.buyer.street = trim(form.street);
    if (!trim(form.postcode).empty()) u.buyer.postcode = trim(form.postcode);
    if (!trim(form.city).empty()) u.buyer.city = trim(form.city);
    if (!country.empty()) u.buyer.country = country;
    if (!trim(form.vatNumber).empty() && u.buyer.vatId.empty()) {
        std::string vat;
        for (char c : upper(trim(form.vatNumber)))
            if (std::isalnum(static_cast<unsigned char>(c))) vat += c;
        u.buyer.vatId = vat;
    }

    std::vector<parsers::CivilDate> reminders;
    if (form.earlierReminders.size() > kMaxReminders) errors["reminders"] = "invalid";
    for (const auto& r : form.earlierReminders) {
        if (trim(r).empty()) continue;
        auto d = parsers::CivilDate::parseIso(trim(r));
        if (!d) errors["reminders"] = "invalid";
        else if (today && *today < *d) errors["reminders"] = "future";
        else reminders.push_back(*d);
    }
    if (!errors.empty()) throw FormErrors(errors);

    // Durable bytes first (content-addressed), then one transaction for everything.
    ParsedUbl doc;
    doc.invoice = u;
    if (form.ubl) {
        doc.file = UblFile{form.ubl->filename.empty() ? "invoice.xml" : form.ubl->filename.substr(0, 200), form.ubl->bytes};
        doc.sha256 = ctx.blobs->put(form.ubl->bytes);
        for (const auto& e : u.attachments) doc.renderings.emplace_back(e, ctx.blobs->put(e.bytes));
    } else {
        parsers::JsonWriter j(2);
        j.beginObject()
            .field("source", "portal form")
            .field("entered_by", who.displayName)
            .field("invoice_number", u.number)
            .field("amount", core::Money(u.payableMinor, u.currency).toDecimal())
            .field("currency", u.currency)
            .field("issue_date", u.issueDate.iso())
            .field("due_date", u.dueDate ? u.dueDate->iso() : std::string())
            .field("debtor_name", u.buyer.name)
            .field("debtor_email", u.buyer.email)
            .endObject();
        doc.file = UblFile{"invoice-form.json", j.str()};
        doc.sha256 = ctx.blobs->put(j.str());
    }
    if (form.pdf) {
        inv::EmbeddedDocument pdf;
        pdf.id = "pdf";
        pdf.filename = form.pdf->filename.empty() ? "invoice.pdf" : form.pdf->filename.substr(0, 200);
        pdf.mimeCode = "application/pdf";
        pdf.bytes = form.pdf->bytes;
        doc.renderings.emplace_back(pdf, ctx.blobs->put(form.pdf->bytes));
    }
    std::optional<std::string> termsSha;
    if (form.terms) termsSha = ctx.blobs->put(form.terms->bytes);

    return ctx.db->transaction([&](store::Tx& tx) {
        const auto creditor = store::creditors::byId(tx, creditorId);
        if (!creditor) throw NotFound("no creditor");
        InvoiceApplied applied;
        applyUblInvoice(ctx, tx, creditorId, std::nullopt, *creditor, doc, who.displayName + " (portal)", "portal", applied);
        if (applied.duplicates > 0) throw FormErrors(std::map<std::string, std::string>{{"invoice_number", "duplicate"}});
        if (applied.created + applied.held == 0) throw FormErrors(std::map<std::string, std::string>{{form.ubl ? "ubl" : "amount", "not_payable"}});
        const auto invoice = store::dossiers::invoiceByNumber(tx, creditorId, u.documentType, u.number);
        if (!invoice) throw FormErrors(std::map<std::string, std::string>{{"invoice_number", "invalid"}});
        NewDossierResult out;
        out.dossierId = invoice->dossierId;
        out.held = applied.held > 0;
        out.done = applied.done;
        out.attention = applied.attention;
        const std::string now = ctx.now();
        if (!form.ubl) store::creditor_portal::setDocumentContentType(tx, creditorId, doc.sha256, "application/json");
        if (termsSha) {
            const auto id = store::dossiers::upsertDocument(
                tx, store::DocumentRecord{0, creditorId, static_cast<std::int64_t>(form.terms->bytes.size()), *termsSha,
                                          "application/pdf",
                                          form.terms->filename.empty() ? "terms.pdf" : form.terms->filename.substr(0, 200)},
                now);
            store::creditor_portal::addDossierDocument(tx, creditorId, out.dossierId, id, "terms", now);
            store::events::append(tx, store::EventRecord{0, creditorId, out.dossierId, now, "document_added", "portal",
                                                         "Terms and conditions added by " + who.displayName, std::nullopt});
        }
        std::sort(reminders.begin(), reminders.end());
        for (const auto& d : reminders)
            store::events::append(tx, store::EventRecord{0, creditorId, out.dossierId, now, "earlier_reminder", "creditor",
                                                         "Reminder sent by the creditor on " + d.iso() +
                                                             ", before the dossier came to duegate",
                                                         "{\"date\":\"" + d.iso() + "\"}"});
        return out;
    });
}

BulkOutcome uploadInvoiceFile(Context& ctx, const Principal& who, const std::string& filename, const std::string& bytes) {
    if (!who.creditorId) throw NotFound("an upload belongs to a creditor");
    BulkOutcome out;
    if (!sniffInvoiceFile(std::string_view(bytes).substr(0, 1 << 20))) {
        out.rejected = true;
        out.rejection = "not an invoice file (the CSV or XLSX template, UBL, PDF)";
        return out;
    }
    const auto outcome = importFile(ctx, who.creditorId, "portal", filename.substr(0, 200), bytes);
    if (outcome.quarantined || !outcome.applied) {
        out.rejected = true;
        out.rejection = outcome.error;
        return out;
    }
    Poco::JSON::Parser parser;
    const auto json = parser.parse(outcome.json).extract<Poco::JSON::Object::Ptr>();
    out.created = json->getValue<std::size_t>("created");
    out.duplicates = json->getValue<std::size_t>("duplicates");
    out.held = json->getValue<std::size_t>("held");
    if (auto errors = json->getArray("errors"))
        for (std::size_t i = 0; i < errors->size(); ++i) {
            const auto e = errors->getObject(static_cast<unsigned>(i));
            out.errors.push_back(BulkOutcome::Error{e->getValue<std::size_t>("row"), e->getValue<std::string>("column"),
                                                    e->getValue<std::string>("message")});
        }
    return out;
}

}  // namespace duegate::services
